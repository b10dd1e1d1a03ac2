// Ctrl+F: the whole project searched by the core, hits grouped by area; choosing one opens its
// screen with it selected.
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { commands, isCancelled, longWork, type SearchResults, type SearchTarget } from "../api";

/** How long typing rests before the search runs. */
const SETTLE_MS = 200;

export function SearchDialog({
  onChoose,
  onClose,
  onError,
}: {
  onChoose: (target: SearchTarget) => void;
  onClose: () => void;
  onError: (e: unknown) => void;
}) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<SearchResults | null>(null);
  const list = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!query.trim()) return;
    let live = true;
    const timer = window.setTimeout(() => {
      longWork(commands.searchProject(query)).then(
        (found) => live && setResults(found),
        (e: unknown) => live && !isCancelled(e) && onError(e),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query, onError]);

  // Up and Down move between the input and the hits; Enter opens the focused one.
  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = [
      document.querySelector<HTMLElement>("#project-search"),
      ...(list.current?.querySelectorAll<HTMLElement>("button.hit") ?? []),
    ].filter((x): x is HTMLElement => !!x);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === "ArrowDown" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
    items[next]?.focus();
    e.preventDefault();
  };

  const shown = query.trim() ? results : null;
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-labelledby="search-title" onKeyDown={onKey}>
      <div className="sheet wide search">
        <h2 id="search-title">Search the project</h2>
        <input
          id="project-search"
          type="search"
          autoFocus
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Steps, interviews, statements, findings, EMR values, versions, comments…"
          aria-label="Search the project"
        />
        <div ref={list} className="search-results" aria-live="polite" data-testid="search-results">
          {shown && shown.total === 0 && (
            <p className="empty">Nothing in the project matches “{shown.query}”.</p>
          )}
          {shown?.groups.map((g) => (
            <section key={g.area}>
              <h3>
                {g.area} <span className="count">{g.hits.length}</span>
              </h3>
              <ul>
                {g.hits.map((h, i) => (
                  <li key={`${h.kind}/${h.title}/${i}`}>
                    <button className="hit" onClick={() => onChoose(h.target)}>
                      <span className="kind">{h.kind}</span> <strong>{h.title}</strong>
                      {h.context && <span className="meta"> {h.context}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
        <div className="buttons">
          <button data-dismiss onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
