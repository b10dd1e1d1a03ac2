// The process map of an imported event log: the core computes and lays it out from the stored
// aggregates (activities, paths, counts, waits, variants); this screen draws it and holds the
// controls (measure, sliders, facility, variant highlight).
import { useEffect, useState } from "react";
import { commands, unwrap, type MapOptions, type Measure, type ProcessMapView } from "../api";

type Box = { x: number; y: number; width: number; height: number };
type RawBox = { x: number | null; y: number | null; width: number | null; height: number | null };
const box = (b: RawBox): Box => ({ x: b.x ?? 0, y: b.y ?? 0, width: b.width ?? 0, height: b.height ?? 0 });

/** The smallest scale at which the map's 13 px labels stay at least 11 px. */
const MIN_SCALE = 11 / 13;

/** How long a slider rests before the map is computed again. */
const SETTLE_MS = 150;

export function ProcessMap({
  logId,
  revision,
  onClose,
  onOpenFinding,
  onError,
}: {
  logId: string;
  /** The project as last seen: the map is computed again when it changes (an edit, an undo). */
  revision: unknown;
  onClose: () => void;
  onOpenFinding: (id: string) => void;
  onError: (e: unknown) => void;
}) {
  const [measure, setMeasure] = useState<Measure>("frequency");
  const [facility, setFacility] = useState<string>("");
  // Null until the core has chosen the default shares for this log.
  const [activities, setActivities] = useState<number | null>(null);
  const [paths, setPaths] = useState<number | null>(null);
  const [map, setMap] = useState<ProcessMapView | null>(null);
  const [variant, setVariant] = useState<number | null>(null);
  const [zoom, setZoom] = useState(1);

  const options: MapOptions = {
    facility: facility || null,
    measure,
    activities: activities === null ? null : activities / 100,
    paths: paths === null ? null : paths / 100,
  };
  const key = JSON.stringify(options);
  useEffect(() => {
    let stale = false;
    const timer = window.setTimeout(() => {
      unwrap(commands.processMap(logId, JSON.parse(key) as MapOptions)).then((next) => {
        if (stale) return;
        setMap(next);
        setActivities((a) => a ?? next.activity_percent);
        setPaths((p) => p ?? next.path_percent);
      }, onError);
    }, SETTLE_MS);
    return () => {
      stale = true;
      window.clearTimeout(timer);
    };
  }, [logId, key, revision, onError]);

  const exportMap = async () => {
    try {
      const path = await commands.choosePath("save_diagram", "Export process map");
      if (!path) return;
      await unwrap(commands.exportProcessMap(logId, options, path));
    } catch (e) {
      onError(e);
    }
  };

  if (!map) return <p className="empty">Drawing the process map…</p>;
  const highlighted = variant === null ? null : new Set(map.variants[variant]?.edges ?? []);
  const width = (map.width ?? 0) + 2;
  const height = (map.height ?? 0) + 2;
  return (
    <section className="process-map" data-testid="process-map" aria-label={`Process map of ${map.title}`}>
      <div className="area-head">
        <h2>
          Process map: {map.title}
          <span className="meta">{map.subtitle}</span>
        </h2>
        <button onClick={onClose}>Close map</button>
      </div>
      <div className="map-controls">
        <div className="toolbar-group" role="radiogroup" aria-label="Measure">
          {(["frequency", "performance"] as const).map((m) => (
            <button
              key={m}
              role="radio"
              aria-checked={measure === m}
              className={measure === m ? "active" : ""}
              onClick={() => setMeasure(m)}
            >
              {m === "frequency" ? "Frequency" : "Performance"}
            </button>
          ))}
        </div>
        <Share
          label="Activities"
          value={activities ?? map.activity_percent}
          shown={map.activities_shown}
          total={map.activities_total}
          unit="activities"
          onChange={setActivities}
        />
        <Share
          label="Paths"
          value={paths ?? map.path_percent}
          shown={map.paths_shown}
          total={map.paths_total}
          unit="paths"
          onChange={setPaths}
        />
        {map.facilities.length > 0 && (
          <select value={facility} onChange={(e) => setFacility(e.target.value)} aria-label="Facility">
            <option value="">All facilities</option>
            {map.facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
        <div className="toolbar-group" aria-label="Zoom">
          <button onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))} aria-label="Zoom out">
            −
          </button>
          <button onClick={() => setZoom(1)} title="Fit to the width">
            {zoom === 1 ? "Fit" : `${Math.round(zoom * 100)} %`}
          </button>
          <button onClick={() => setZoom((z) => Math.min(3, z * 1.25))} aria-label="Zoom in">
            +
          </button>
        </div>
        <button onClick={() => void exportMap()}>Export…</button>
      </div>
      <p className="legend map-legend">
        <span>{map.legend}</span>
        <span>
          <span className="swatch undocumented" /> In the log, not in the current-state map
        </span>
        <span>
          <span className="swatch unobserved" /> In the current-state map, never in the log
        </span>
        <span className="muted">Click a marked path to open its finding.</span>
      </p>
      <div className="map-body">
        <div className="map-scroll">
          {/* At 100 % the map fits the width, but never so small that its labels drop under
              11 px (they are drawn at 13); zoom scales from there. */}
          <svg
            style={{ width: `${zoom * 100}%`, minWidth: `${width * MIN_SCALE * zoom}px`, height: "auto" }}
            viewBox={`-1 -1 ${width} ${height}`}
            role="img"
            aria-label={`${map.title}: ${map.subtitle}`}
          >
            <defs>
              <marker
                id="map-arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="10"
                markerHeight="10"
                markerUnits="userSpaceOnUse"
                orient="auto"
              >
                <path d="M0 0 L10 5 L0 10 z" className="map-arrow-head" />
              </marker>
            </defs>
            {map.lanes.map((l, i) => {
              const b = box(l.band);
              const h = box(l.header);
              return (
                <g key={l.id} className="map-lane">
                  <rect
                    x={b.x}
                    y={b.y}
                    width={b.width}
                    height={b.height}
                    className={i % 2 ? "odd" : "even"}
                  />
                  <rect x={h.x} y={h.y} width={h.width} height={h.height} className="header" />
                  <text
                    x={h.x + h.width / 2}
                    y={h.y + h.height / 2}
                    textAnchor="middle"
                    dominantBaseline="middle"
                  >
                    {l.name}
                  </text>
                </g>
              );
            })}
            {map.edges.map((e) => {
              const d = e.points.map(([x, y], i) => `${i ? "L" : "M"}${x ?? 0} ${y ?? 0}`).join(" ");
              const dim = highlighted && !highlighted.has(e.id);
              const marked = e.finding !== null;
              const lb = e.label_box ? box(e.label_box) : null;
              return (
                <g
                  key={e.id}
                  data-edge={e.id}
                  data-disagreement={e.disagreement ?? undefined}
                  className={`map-edge${dim ? " dim" : ""}${marked ? " marked" : ""}`}
                  onClick={marked ? () => onOpenFinding(e.finding as string) : undefined}
                >
                  <title>{e.tooltip}</title>
                  {/* A wide transparent stroke makes thin paths easy to click. */}
                  {marked && <path d={d} stroke="transparent" strokeWidth={16} fill="none" />}
                  <path
                    d={d}
                    fill="none"
                    stroke={e.colour}
                    strokeWidth={e.stroke_width ?? 1.5}
                    strokeDasharray={e.disagreement === "unobserved" ? "6 4" : undefined}
                    markerEnd="url(#map-arrow)"
                  />
                  {lb && e.label && (
                    <>
                      <rect
                        x={lb.x}
                        y={lb.y}
                        width={lb.width}
                        height={lb.height}
                        rx={3}
                        className="edge-label"
                      />
                      <text
                        x={lb.x + lb.width / 2}
                        y={lb.y + lb.height / 2}
                        textAnchor="middle"
                        dominantBaseline="middle"
                      >
                        {e.label}
                      </text>
                    </>
                  )}
                </g>
              );
            })}
            {map.nodes.map((n) => {
              const r = box(n.box);
              if (n.kind === "start" || n.kind === "end") {
                const start = n.kind === "start";
                const cx = start ? r.x + r.width - 18 : r.x + 18;
                return (
                  <g key={n.id} className={`map-event ${n.kind}`} data-node={n.id}>
                    <title>{`${n.label}: ${n.count_text}`}</title>
                    <circle cx={cx} cy={r.y + r.height / 2} r={16} />
                    <text
                      x={start ? r.x + (r.width - 42) / 2 : r.x + 42 + (r.width - 42) / 2}
                      y={r.y + r.height / 2}
                      textAnchor="middle"
                      dominantBaseline="middle"
                    >
                      {n.label}
                    </text>
                  </g>
                );
              }
              const top = r.y + r.height / 2 - (n.lines.length * 16) / 2;
              return (
                <g key={n.id} className="map-activity" data-node={n.id} data-activity={n.label}>
                  <title>{`${n.label}: ${n.count_text}${n.role ? ` · mostly ${n.role}` : ""}`}</title>
                  <rect x={r.x} y={r.y} width={r.width} height={r.height} rx={6} />
                  {n.lines.map((line, i) => (
                    <text key={i} x={r.x + r.width / 2} y={top + 16 * i + 12} textAnchor="middle">
                      {line}
                    </text>
                  ))}
                </g>
              );
            })}
          </svg>
        </div>
        <aside className="variants" aria-label="Variants">
          <h3>Variants</h3>
          <p className="meta">
            Click one to highlight its path{facility ? " (counted over every facility)" : ""}.
          </p>
          <ol>
            {map.variants.map((v, i) => (
              <li key={i}>
                <button
                  className={variant === i ? "variant active" : "variant"}
                  aria-pressed={variant === i}
                  onClick={() => setVariant(variant === i ? null : i)}
                  title={v.activities.join(" → ")}
                >
                  <span className="variant-head">
                    Variant {i + 1}: {v.count.toLocaleString("en-US")} {v.count === 1 ? "case" : "cases"} (
                    {v.share})
                  </span>
                  <span className="meta">
                    {v.activities.length} activities{v.complete ? "" : " · partly hidden by the sliders"}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          {map.other_variants && <p className="meta">{map.other_variants}</p>}
        </aside>
      </div>
    </section>
  );
}

/** A slider of the share shown (0–100 %), with how many of how many that is. */
function Share(props: {
  label: string;
  value: number;
  shown: number;
  total: number;
  unit: string;
  onChange: (percent: number) => void;
}) {
  return (
    <label className="slider">
      {props.label} {props.value} %
      <input
        type="range"
        min={0}
        max={100}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        aria-valuetext={`${props.shown} of ${props.total} ${props.unit}`}
      />
      <span className="meta">
        {props.shown} of {props.total}
      </span>
    </label>
  );
}
