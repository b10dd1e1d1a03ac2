import { useCallback, useEffect, useRef, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { asAppError, commands, unwrap, type AppError, type ProjectView, type SearchTarget } from "./api";
import { Home } from "./home/Home";
import type { Area } from "./shared/Areas";
import { NewProjectDialog, RecentDialog, UnlockDialog } from "./home/Dialogs";
import { InterviewList, InterviewScreen, NewInterviewDialog } from "./interviews/Interviews";
import { CurrentState } from "./current-state/CurrentState";
import { Swimlanes } from "./swimlanes/Swimlanes";
import { Findings } from "./findings/Findings";
import { EmrData } from "./emr/EmrData";
import { Proposals } from "./proposals/Proposals";
import { Telemetry } from "./telemetry/Telemetry";
import { ReportDialog } from "./report/Report";
import { BusyOverlay } from "./shared/Busy";
import { ShortcutsDialog, dialogHasFocus, useDesktopKeys, zoom } from "./shared/Keys";
import { SearchDialog } from "./shared/Search";
import { ImportReviewDialog } from "./review/Review";

const AREAS: { id: Area; label: string }[] = [
  { id: "home", label: "Home" },
  { id: "interviews", label: "Interviews" },
  { id: "current_state", label: "Current state" },
  { id: "swimlanes", label: "Swimlanes" },
  { id: "emr", label: "EMR data" },
  { id: "findings", label: "Findings" },
  { id: "proposals", label: "Proposals" },
  { id: "telemetry", label: "Telemetry" },
];

type Modal =
  "none" | "new" | "recent" | "interview" | "report" | "unlock" | "search" | "shortcuts" | "import_review";

export function App() {
  const [project, setProject] = useState<ProjectView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // What opening a project cleaned up is told once per project opened.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (!project?.recovered) return;
    const key = `${project.path}\n${project.recovered}`;
    if (told.current === key) return;
    told.current = key;
    setNotice(`Opening ${project.name}: ${project.recovered}.`);
  }, [project]);
  const [area, setArea] = useState<Area>("home");
  const [modal, setModal] = useState<Modal>("none");
  const [interviewId, setInterviewId] = useState<string | null>(null);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  // An encrypted project asks for its passphrase instead of showing an error.
  const showError = useCallback((e: unknown) => {
    const error = asAppError(e);
    if (error.code === "encrypted") setModal("unlock");
    else setError(error);
  }, []);
  const adopt = useCallback((next: ProjectView) => {
    setProject(next);
    setError(null);
  }, []);
  // A finding to show unfolded on the Findings screen (opened from another screen).
  const [findingId, setFindingId] = useState<string | null>(null);
  const openFinding = useCallback((id: string) => {
    setFindingId(id);
    setArea("findings");
  }, []);
  // A step to show with its findings when Swimlanes opens (from "Show on map").
  const [focusStep, setFocusStep] = useState<string | null>(null);
  const focused = useCallback(() => setFocusStep(null), []);
  const showOnMap = useCallback((workflow: string, step: string) => {
    setWorkflowId(workflow);
    setFocusStep(step);
    setArea("swimlanes");
  }, []);
  const openInterview = useCallback((id: string) => {
    setInterviewId(id);
    setArea("interviews");
  }, []);
  // What the screens of one workflow (current state, swimlanes) share.
  const workflowScreen = (open: ProjectView) => ({
    project: open,
    workflowId,
    onWorkflow: setWorkflowId,
    onProject: adopt,
    onError: showError,
    onOpenInterview: openInterview,
  });

  const run = useCallback(
    async (work: () => Promise<ProjectView | null | void>) => {
      try {
        const next = await work();
        if (next) {
          setProject(next);
          setError(null);
        }
      } catch (e) {
        showError(e);
      }
    },
    [showError],
  );

  useEffect(() => {
    let live = true;
    unwrap(commands.start()).then(
      (opened) => live && setProject(opened),
      (e: unknown) => live && showError(e),
    );
    return () => {
      live = false;
    };
  }, [showError]);

  const open = useCallback(
    () =>
      run(async () => {
        const path = await commands.choosePath("open_project", "Open a Baton project");
        setInterviewId(null);
        setWorkflowId(null);
        return path ? unwrap(commands.openProject(path)) : null;
      }),
    [run],
  );
  const importBundle = useCallback(
    () =>
      run(async () => {
        const dir = await commands.choosePath("folder", "Choose the bundle folder (it holds baton.yaml)");
        if (!dir) return null;
        const path = await commands.choosePath("save_project", "Save the imported project as");
        return path ? unwrap(commands.importBundle(dir, path)) : null;
      }),
    [run],
  );
  const exportBundle = useCallback(
    () =>
      run(async () => {
        const dir = await commands.choosePath("folder", "Export the project as a bundle into");
        if (!dir) return null;
        const files = await unwrap(commands.exportBundle(dir));
        setNotice(
          project?.encrypted
            ? `Exported ${files} files to ${dir}. The project is encrypted, but the bundle is plain text: keep it as safe as the project.`
            : `Exported ${files} files to ${dir}`,
        );
        return null;
      }),
    [run, project],
  );
  // What a search opened on EMR data: the mapping matrix is searched for it.
  const [emrSearch, setEmrSearch] = useState("");
  const choose = useCallback(
    (target: SearchTarget) => {
      setModal("none");
      if (target.screen === "step") showOnMap(target.workflow_id, target.step_id);
      else if (target.screen === "interview") openInterview(target.interview_id);
      else if (target.screen === "finding") openFinding(target.finding_id);
      else if (target.screen === "emr") {
        setEmrSearch(target.text);
        setArea("emr");
      } else {
        setWorkflowId(target.workflow_id);
        setArea("proposals");
      }
    },
    [showOnMap, openInterview, openFinding],
  );
  const openSearch = useCallback(() => setModal("search"), []);
  const openShortcuts = useCallback(() => setModal("shortcuts"), []);
  useDesktopKeys({ onFind: openSearch, onShortcuts: openShortcuts });
  const undo = useCallback(() => run(() => unwrap(commands.undo())), [run]);
  const redo = useCallback(() => run(() => unwrap(commands.redo())), [run]);

  useEffect(() => {
    const actions: Record<string, () => void> = {
      new: () => setModal("new"),
      open: () => void open(),
      open_recent: () => setModal("recent"),
      import_bundle: () => void importBundle(),
      export_bundle: () => void exportBundle(),
      report: () => setModal("report"),
      import_review: () => setModal("import_review"),
      undo: () => void undo(),
      redo: () => void redo(),
      find: openSearch,
      shortcuts: openShortcuts,
      zoom_in: () => void zoom(1),
      zoom_out: () => void zoom(-1),
      zoom_reset: () => void zoom(0),
    };
    // No menu shortcut acts behind a dialog that has the focus.
    const stop = listen<string>("menu", (event) => {
      if (!dialogHasFocus()) actions[event.payload]?.();
    });
    return () => {
      void stop.then((unlisten) => unlisten()).catch(() => undefined);
    };
  }, [open, importBundle, exportBundle, undo, redo, openSearch, openShortcuts]);

  return (
    <div className="app">
      <header className="toolbar">
        <span className="brand">Baton</span>
        <span className="project-name" data-testid="project-name" title={project?.path}>
          {project ? project.name : "Opening…"}
        </span>
        <nav className="actions" aria-label="Project">
          <button onClick={() => setModal("new")}>New</button>
          <button onClick={() => void open()}>Open</button>
          <button onClick={() => setModal("recent")}>Recent</button>
          <button onClick={() => void importBundle()}>Import bundle</button>
          <button onClick={() => void exportBundle()} disabled={!project}>
            Export bundle
          </button>
          <button onClick={() => setModal("report")} disabled={!project}>
            Report…
          </button>
          <button
            onClick={() => void undo()}
            disabled={!project?.undo}
            title={project?.undo ? `Undo ${project.undo} (Ctrl+Z)` : "Nothing to undo"}
          >
            Undo
          </button>
          <button
            onClick={() => void redo()}
            disabled={!project?.redo}
            title={project?.redo ? `Redo ${project.redo} (Ctrl+Shift+Z)` : "Nothing to redo"}
          >
            Redo
          </button>
        </nav>
      </header>
      {error && (
        <div className="banner error" role="alert" data-code={error.code}>
          <span>{error.message}</span>
          <button onClick={() => setError(null)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      )}
      {notice && (
        <div className="banner notice" role="status">
          <span>{notice}</span>
          <button onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className="body">
        <aside className="sidebar">
          {AREAS.map((a) => (
            <button
              key={a.id}
              className={a.id === area ? "nav active" : "nav"}
              onClick={() => {
                setArea(a.id);
                if (a.id === "interviews") setInterviewId(null);
                if (a.id === "findings") setFindingId(null);
              }}
              aria-current={a.id === area ? "page" : undefined}
            >
              {a.label}
            </button>
          ))}
        </aside>
        <main className="content">
          {!project ? (
            <p className="empty">Opening the project…</p>
          ) : area === "home" ? (
            <Home project={project} run={run} onNavigate={setArea} onReport={() => setModal("report")} />
          ) : area === "interviews" ? (
            interviewId && project.interviews.some((i) => i.id === interviewId) ? (
              <InterviewScreen
                key={interviewId}
                id={interviewId}
                project={project}
                onProject={adopt}
                onError={showError}
                onBack={() => setInterviewId(null)}
              />
            ) : (
              <InterviewList project={project} onOpen={setInterviewId} onNew={() => setModal("interview")} />
            )
          ) : area === "current_state" ? (
            <CurrentState {...workflowScreen(project)} />
          ) : area === "swimlanes" ? (
            <Swimlanes {...workflowScreen(project)} focusStep={focusStep} onFocused={focused} />
          ) : area === "emr" ? (
            <EmrData
              project={project}
              onProject={adopt}
              onError={showError}
              onOpenFinding={openFinding}
              search={emrSearch}
            />
          ) : area === "telemetry" ? (
            <Telemetry project={project} onProject={adopt} onError={showError} />
          ) : area === "proposals" ? (
            <Proposals project={project} onProject={adopt} onError={showError} />
          ) : (
            <Findings
              project={project}
              onProject={adopt}
              onError={showError}
              onOpenInterview={openInterview}
              selected={findingId}
              onShowOnMap={showOnMap}
            />
          )}
        </main>
      </div>
      {modal === "new" && <NewProjectDialog run={run} onClose={() => setModal("none")} />}
      {modal === "recent" && <RecentDialog run={run} onClose={() => setModal("none")} />}
      {modal === "unlock" && <UnlockDialog run={run} onClose={() => setModal("none")} />}
      {modal === "import_review" && project && (
        <ImportReviewDialog
          onClose={() => setModal("none")}
          onDone={(next, message) => {
            setModal("none");
            setProject(next);
            setError(null);
            setNotice(message);
          }}
          onError={showError}
        />
      )}
      {modal === "report" && project && (
        <ReportDialog project={project} onProject={adopt} onClose={() => setModal("none")} />
      )}
      {modal === "interview" && project && (
        <NewInterviewDialog
          project={project}
          onClose={() => setModal("none")}
          onError={showError}
          onCreated={(id, next) => {
            adopt(next);
            setModal("none");
            openInterview(id);
          }}
        />
      )}
      {modal === "search" && (
        <SearchDialog onChoose={choose} onClose={() => setModal("none")} onError={showError} />
      )}
      {modal === "shortcuts" && <ShortcutsDialog onClose={() => setModal("none")} />}
      <BusyOverlay />
    </div>
  );
}
