// The swimlane editor: the core lays the diagram out; React Flow draws it and turns gestures into
// core edits (drop a step in another lane, reorder lanes, connect, delete, comment). After every
// edit the diagram is laid out again by the core, so what is shown is always what is stored.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Background,
  BaseEdge,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  getSmoothStepPath,
  useInternalNode,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeProps,
  type FitViewOptions,
  type Node,
  type NodeChange,
  type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import {
  commands,
  isCancelled,
  longWork,
  unwrap,
  type CommentView,
  type DiagramEdge as RawEdge,
  type DiagramNode as RawNode,
  type DiagramView as RawView,
  type Finding,
  type ProjectView,
  type StepKind,
} from "../api";
import { FindingCard } from "../findings/Findings";
import { PhiHint } from "../shared/Phi";
import { MergeInstead, useRenameStep } from "../shared/RenameStep";

// The bindings type every f64 as `number | null` (JSON has no NaN); the core never sends one.
type Box = { x: number; y: number; width: number; height: number };
type DiagramNode = Omit<RawNode, "box"> & { box: Box };
type DiagramEdge = Omit<RawEdge, "points" | "label_box"> & {
  points: [number, number][];
  label_box: Box | null;
};
type DiagramView = Omit<RawView, "lanes" | "nodes" | "edges" | "width" | "height"> & {
  width: number;
  height: number;
  lanes: { id: string; name: string; band: Box; header: Box }[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
};
type RawBox = { x: number | null; y: number | null; width: number | null; height: number | null };
const box = (b: RawBox): Box => ({ x: b.x ?? 0, y: b.y ?? 0, width: b.width ?? 0, height: b.height ?? 0 });
function normalise(d: RawView): DiagramView {
  return {
    ...d,
    width: d.width ?? 0,
    height: d.height ?? 0,
    lanes: d.lanes.map((l) => ({ ...l, band: box(l.band), header: box(l.header) })),
    nodes: d.nodes.map((n) => ({ ...n, box: box(n.box) })),
    edges: d.edges.map((e) => ({
      ...e,
      points: e.points.map(([x, y]) => [x ?? 0, y ?? 0] as [number, number]),
      label_box: e.label_box ? box(e.label_box) : null,
    })),
  };
}

type StepData = {
  node: DiagramNode;
  vertical: boolean;
  onBadge: (node: DiagramNode, what: SidePanel) => void;
};
type LaneData = {
  id: string;
  name: string;
  width: number;
  height: number;
  header: { x: number; y: number; width: number; height: number };
};
type RoutedData = {
  edge: DiagramEdge;
  sourceAt: { x: number; y: number };
  targetAt: { x: number; y: number };
};
type SidePanel = "comments" | "findings" | null;

/** A part of a long diagram: consecutive steps along the flow, from `start` to `end` (diagram
 * units along the flow), and the handoffs that leave it for another part, in words. */
export type Part = {
  start: number;
  end: number;
  first: string;
  last: string;
  handoffs: string[];
  /** Ids of the edges that leave or enter this part. */
  crossing: string[];
};

/** Splits a diagram along its flow into parts no longer than `room`, between steps, never through
 * one; each part lists the handoffs into or out of it ("→ Part 2: Acknowledge order"). */
export function partsOf(d: DiagramView, vertical: boolean, room: number): Part[] {
  const along = (b: Box) => (vertical ? [b.y, b.y + b.height] : [b.x, b.x + b.width]);
  const nodes = [...d.nodes].sort((a, b) => along(a.box)[0] - along(b.box)[0]);
  const parts: Part[] = [];
  const partOf = new Map<string, number>();
  for (const n of nodes) {
    const [lo, hi] = along(n.box);
    const current = parts[parts.length - 1];
    if (current && hi - current.start <= Math.max(room, 1)) {
      current.end = Math.max(current.end, hi);
      current.last = n.label;
    } else {
      // A new part starts a little before its first step, so its lane names can be read.
      parts.push({
        start: Math.max(0, lo - 40),
        end: hi,
        first: n.label,
        last: n.label,
        handoffs: [],
        crossing: [],
      });
    }
    partOf.set(n.id, parts.length - 1);
  }
  const label = (id: string) => d.nodes.find((n) => n.id === id)?.label ?? "";
  for (const e of d.edges) {
    const [a, b] = [partOf.get(e.from), partOf.get(e.to)];
    if (a === undefined || b === undefined || a === b) continue;
    parts[a].handoffs.push(`“${label(e.from)}” → part ${b + 1}: “${label(e.to)}”`);
    parts[a].crossing.push(e.id);
    parts[b].crossing.push(e.id);
    parts[b].handoffs.push(`from part ${a + 1}: “${label(e.from)}” → “${label(e.to)}”`);
  }
  return parts;
}

/** Labels are drawn at 13 px: Fit never goes below 11 px. */
const MIN_FIT_ZOOM = 11 / 13;

/** Whether the minimap is shown is remembered across runs. */
const MINIMAP_KEY = "baton.swimlanes.minimap";
const MINIMAP_SIZE = { width: 200, height: 150 };

/** Fit keeps labels readable (13 px labels no smaller than 11 px) and, with the minimap shown,
 * keeps the band under it clear, so it never covers a step after Fit. */
function fitOptions(minimap: boolean): FitViewOptions {
  const bottom: `${number}px` = `${MINIMAP_SIZE.height + 24}px`;
  return {
    padding: minimap ? { top: "16px", left: "16px", right: "16px", bottom } : 0.05,
    minZoom: MIN_FIT_ZOOM,
  };
}

const SEVERITY_COLOURS: Record<string, string> = { high: "#dc2626", medium: "#d97706", low: "#2563eb" };

function LaneNode({ data }: NodeProps<Node<LaneData>>) {
  const h = data.header;
  return (
    <div className="lane" data-lane-band={data.id} style={{ width: data.width, height: data.height }}>
      <div
        className="lane-header"
        title="Drag to reorder lanes"
        style={{ left: h.x, top: h.y, width: h.width, height: h.height }}
      >
        {data.name}
      </div>
    </div>
  );
}

function StepNode({ data, selected }: NodeProps<Node<StepData>>) {
  const { node, vertical } = data;
  const w = node.box.width;
  const h = node.box.height;
  const shape =
    node.kind === "decision" ? (
      <path
        d={`M${w / 2} 1 L${w - 1} ${h / 2} L${w / 2} ${h - 1} L1 ${h / 2} z`}
        className="shape decision"
      />
    ) : node.kind === "task" ? (
      <rect x={1} y={1} width={w - 2} height={h - 2} rx={8} className="shape task" />
    ) : null;
  const isEvent = node.kind === "start" || node.kind === "end";
  // An event's circle sits where edges meet it: downstream for a start, upstream for an end.
  const circle = isEvent
    ? vertical
      ? { cx: w / 2, cy: node.kind === "start" ? h - 18 : 18 }
      : { cx: node.kind === "start" ? w - 18 : 18, cy: h / 2 }
    : null;
  return (
    <div
      className={`step-node ${node.kind}${selected ? " selected" : ""}`}
      style={{ width: w, height: h }}
      data-step={node.id}
      data-lane={node.lane}
      title={node.label}
    >
      <svg width={w} height={h} className="step-shape">
        {shape}
        {circle && (
          <circle
            cx={circle.cx}
            cy={circle.cy}
            r={node.kind === "end" ? 16 : 17}
            className={`shape ${node.kind}`}
          />
        )}
      </svg>
      <div
        className={isEvent ? `step-label event ${node.kind}${vertical ? " vertical" : ""}` : "step-label"}
        style={node.kind === "decision" ? { padding: "0 36px" } : undefined}
      >
        {node.lines.map((l, i) => (
          <div key={i}>{l}</div>
        ))}
      </div>
      {node.severity && (
        <button
          className="node-badge findings"
          style={{ background: SEVERITY_COLOURS[node.severity] }}
          title={`${node.findings.length} finding(s): show the evidence`}
          onClick={(e) => {
            e.stopPropagation();
            data.onBadge(node, "findings");
          }}
        >
          {node.findings.length}
        </button>
      )}
      {node.open_comments + node.resolved_comments > 0 && (
        <button
          className={node.open_comments > 0 ? "node-badge comments" : "node-badge comments resolved"}
          title="Show the comments"
          onClick={(e) => {
            e.stopPropagation();
            data.onBadge(node, "comments");
          }}
        >
          {node.open_comments > 0 ? node.open_comments : "✓"}
        </button>
      )}
      {node.step && (
        <>
          <Handle type="target" position={vertical ? Position.Top : Position.Left} />
          <Handle type="source" position={vertical ? Position.Bottom : Position.Right} />
        </>
      )}
    </div>
  );
}

/** The core's orthogonal route while both ends are where the core put them; a plain step path
 * while a step is being dragged. */
function RoutedEdge(props: EdgeProps<Edge<RoutedData>>) {
  const data = props.data as RoutedData;
  const source = useInternalNode(props.source);
  const target = useInternalNode(props.target);
  const at = (n: typeof source, p: { x: number; y: number }) =>
    !!n &&
    Math.abs(n.internals.positionAbsolute.x - p.x) < 0.5 &&
    Math.abs(n.internals.positionAbsolute.y - p.y) < 0.5;
  const e = data.edge;
  let path: string;
  if (at(source, data.sourceAt) && at(target, data.targetAt)) {
    path = e.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x} ${y}`).join(" ");
  } else {
    [path] = getSmoothStepPath({
      sourceX: props.sourceX,
      sourceY: props.sourceY,
      targetX: props.targetX,
      targetY: props.targetY,
      sourcePosition: props.sourcePosition,
      targetPosition: props.targetPosition,
    });
  }
  const className = `routed ${e.cross_lane ? "handoff" : "flow"}${props.selected ? " selected" : ""}`;
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        className={className}
        interactionWidth={12}
      />
      {e.label && e.label_box && (
        <text
          className="edge-label"
          x={e.label_box.x + e.label_box.width / 2}
          y={e.label_box.y + e.label_box.height / 2 + 4}
          textAnchor="middle"
        >
          {e.label}
        </text>
      )}
      {e.open_comments > 0 && e.points.length > 0 && (
        <text
          className="edge-comments"
          x={e.points[Math.floor(e.points.length / 2)][0] + 4}
          y={e.points[Math.floor(e.points.length / 2)][1] - 6}
        >
          💬 {e.open_comments}
        </text>
      )}
    </>
  );
}

const nodeTypes = { lane: LaneNode, step: StepNode };
const edgeTypes = { routed: RoutedEdge };

function toFlow(d: DiagramView, onBadge: StepData["onBadge"]): { nodes: Node[]; edges: Edge[] } {
  const lanes: Node[] = d.lanes.map((l) => ({
    id: `lane:${l.id}`,
    type: "lane",
    position: { x: l.band.x, y: l.band.y },
    data: {
      id: l.id,
      name: l.name,
      width: l.band.width,
      height: l.band.height,
      header: {
        x: l.header.x - l.band.x,
        y: l.header.y - l.band.y,
        width: l.header.width,
        height: l.header.height,
      },
    },
    draggable: true,
    dragHandle: ".lane-header",
    selectable: false,
    connectable: false,
    deletable: false,
    zIndex: -1,
  }));
  const steps: Node[] = d.nodes.map((n) => ({
    id: n.id,
    type: "step",
    position: { x: n.box.x, y: n.box.y },
    data: { node: n, vertical: d.vertical, onBadge },
    width: n.box.width,
    height: n.box.height,
    draggable: n.step,
    connectable: n.step,
    deletable: n.step,
    selectable: true,
  }));
  const where = new Map(d.nodes.map((n) => [n.id, { x: n.box.x, y: n.box.y }]));
  const edges: Edge[] = d.edges.map((e) => ({
    id: e.id,
    source: e.from,
    target: e.to,
    type: "routed",
    data: { edge: e, sourceAt: where.get(e.from), targetAt: where.get(e.to) },
    deletable: e.handoff,
    selectable: e.handoff,
    markerEnd: { type: "arrowclosed" as const, color: e.cross_lane ? "#c2410c" : "#475569" },
  }));
  return { nodes: [...lanes, ...steps], edges };
}

function CommentsPanel(props: {
  project: ProjectView;
  comments: CommentView[];
  target: { kind: "step" | "handoff"; id: string; label: string } | null;
  act: (work: () => Promise<ProjectView>) => Promise<void>;
  onClose: () => void;
  /** Keeps the form on its target after a comment, for the next one. */
  onCommented: (target: { kind: "step" | "handoff"; id: string; label: string }) => void;
}) {
  const [author, setAuthor] = useState("");
  const [text, setText] = useState("");
  const [openOnly, setOpenOnly] = useState(false);
  const shown = props.comments.filter(
    (c) => (!openOnly || !c.resolved) && (!props.target || c.target_id === props.target.id),
  );
  return (
    <aside className="side-panel" data-testid="comments-panel">
      <div className="panel-head">
        <h2>Comments{props.target ? ` on “${props.target.label}”` : ""}</h2>
        <button className="link" onClick={props.onClose} aria-label="Close comments">
          ✕
        </button>
      </div>
      <label className="inline">
        <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} />{" "}
        Unresolved only
      </label>
      {shown.length === 0 ? (
        <p className="empty">
          {props.target
            ? "No comments here yet."
            : "No comments yet. Select a step or a handoff to comment on it."}
        </p>
      ) : (
        <ul className="comments">
          {shown.map((c) => (
            <li
              key={c.id}
              className={[c.resolved ? "resolved" : "", c.parent_id ? "reply" : ""].join(" ").trim()}
              data-comment={c.id}
            >
              <div className="muted">
                {c.author || "Someone"} {c.parent_id ? "replied" : "on"} {c.parent_id ? "" : c.target_label}
                {" · "}
                {c.created_at.slice(0, 16).replace("T", " ")}
              </div>
              <div>{c.text}</div>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={c.resolved}
                  onChange={(e) =>
                    void props.act(() => unwrap(commands.resolveComment(c.id, e.target.checked)))
                  }
                />{" "}
                Resolved
              </label>
            </li>
          ))}
        </ul>
      )}
      {props.target ? (
        <form
          className="comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            const target = props.target;
            if (!target) return;
            void props
              .act(async () => {
                const created = await unwrap(
                  commands.addComment(target.kind, target.id, author || null, text),
                );
                return created.project;
              })
              .then(() => {
                setText("");
                props.onCommented(target);
              });
          }}
        >
          <select value={author} onChange={(e) => setAuthor(e.target.value)} aria-label="Comment author role">
            <option value="">Author role…</option>
            {props.project.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="What should change, or what is unclear?"
            aria-label="Comment text"
          />
          <PhiHint text={text} onRedact={setText} />
          <button type="submit" disabled={!text.trim()}>
            Add comment
          </button>
        </form>
      ) : null}
    </aside>
  );
}

function Editor(props: {
  project: ProjectView;
  workflowId: string;
  onWorkflow: (id: string) => void;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onOpenInterview: (id: string) => void;
  focusStep?: string | null;
  onFocused?: () => void;
}) {
  const { project, workflowId, onError, focusStep, onFocused } = props;
  const [vertical, setVertical] = useState(false);
  const [diagram, setDiagram] = useState<DiagramView | null>(null);
  const [nodes, setNodes] = useState<Node[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [comments, setComments] = useState<CommentView[]>([]);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [panel, setPanel] = useState<SidePanel>(null);
  const [focus, setFocus] = useState<{ kind: "step" | "handoff"; id: string; label: string } | null>(null);
  const [adding, setAdding] = useState<{ name: string; lane: string; kind: StepKind } | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const flow = useReactFlow();
  const fitted = useRef("");
  const [minimap, setMinimap] = useState(() => localStorage.getItem(MINIMAP_KEY) !== "hidden");
  // Fit, but a diagram too long to fit at a readable size starts at its beginning (lane names and
  // first steps), not centred with both ends cut; the rest is a pan away.
  // A diagram too long for one screen at that size is read in parts of consecutive steps: a picker
  // moves between them and lists the handoffs that continue in another part.
  const [parts, setParts] = useState<Part[]>([]);
  const [part, setPart] = useState(0);
  const diagramRef = useRef<DiagramView | null>(null);
  const canvas = useRef<HTMLDivElement | null>(null);
  const showPart = useCallback(
    (all: Part[], i: number) => {
      const p = all[i];
      if (!p) return;
      setPart(i);
      const v = flow.getViewport();
      void flow.setViewport(
        vertical
          ? { x: v.x, y: 16 - p.start * v.zoom, zoom: v.zoom }
          : { x: 16 - p.start * v.zoom, y: v.y, zoom: v.zoom },
      );
    },
    [flow, vertical],
  );
  const fit = useCallback(
    (withMinimap: boolean) => {
      void flow.fitView(fitOptions(withMinimap)).then(() => {
        const v = flow.getViewport();
        const d = diagramRef.current;
        const box = canvas.current?.getBoundingClientRect();
        if (v.zoom > MIN_FIT_ZOOM + 1e-3 || !d || !box) {
          setParts([]);
          return;
        }
        // A part ends before the minimap's corner, so the minimap never covers one of its steps.
        const corner = withMinimap ? (vertical ? MINIMAP_SIZE.height : MINIMAP_SIZE.width) + 24 : 0;
        const found = partsOf(d, vertical, ((vertical ? box.height : box.width) - corner) / v.zoom - 32);
        setParts(found);
        // The handoffs that continue in another part are marked on the canvas too.
        const crossing = new Set(found.flatMap((p) => p.crossing));
        setEdges((all) =>
          all.map((e) => ({ ...e, className: crossing.has(e.id) ? "crosses-part" : undefined })),
        );
        setPart(0);
        // The start of the flow, and the top of the lanes when they are taller than the canvas.
        void flow.setViewport(
          vertical
            ? { x: Math.max(v.x, 16), y: 16, zoom: v.zoom }
            : { x: 16, y: Math.max(v.y, 16), zoom: v.zoom },
        );
      });
    },
    [flow, vertical],
  );
  const minimapRef = useRef(minimap);
  useEffect(() => {
    minimapRef.current = minimap;
  }, [minimap]);
  const pendingFocus = useRef(focusStep ?? null);

  const onBadge = useCallback((node: DiagramNode, what: SidePanel) => {
    setFocus({ kind: "step", id: node.id, label: node.label });
    setPanel(what);
  }, []);

  // Lay out again whenever the project changes underneath (an edit, undo, redo) or the lanes turn.
  useEffect(() => {
    let live = true;
    Promise.all([
      unwrap(commands.diagram(workflowId, vertical)),
      unwrap(commands.comments(workflowId)),
      // Cancelled, the findings' badges are left off and the diagram still shows.
      longWork(commands.findings()).catch((e: unknown) => {
        if (isCancelled(e)) return [];
        throw e;
      }),
    ]).then(
      ([d, c, f]) => {
        if (!live) return;
        const view = normalise(d);
        diagramRef.current = view;
        const next = toFlow(view, onBadge);
        // "Show on map": the step is selected, centred and its findings shown, once.
        const wanted = pendingFocus.current
          ? view.nodes.find((n) => n.id === pendingFocus.current)
          : undefined;
        if (pendingFocus.current) {
          pendingFocus.current = null;
          onFocused?.();
        }
        if (wanted) {
          setFocus({ kind: "step", id: wanted.id, label: wanted.label });
          setPanel("findings");
          for (const n of next.nodes) n.selected = n.id === wanted.id;
          fitted.current = `${workflowId}:${vertical}`;
          const { x, y, width, height } = wanted.box;
          setTimeout(() => void flow.setCenter(x + width / 2, y + height / 2, { zoom: 1 }), 50);
        }
        setDiagram(view);
        setNodes(next.nodes);
        setEdges(next.edges);
        setComments(c);
        setFindings(f);
        // A new workflow or orientation is shown whole; edits keep the reviewer's viewport.
        const shape = `${workflowId}:${vertical}`;
        if (fitted.current !== shape) {
          fitted.current = shape;
          // After the new nodes are measured (a turned diagram has new sizes).
          setTimeout(() => fit(minimapRef.current), 60);
        }
      },
      (e: unknown) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [workflowId, vertical, project, onError, onBadge, flow, onFocused, fit]);

  const act = useCallback(
    async (work: () => Promise<ProjectView>) => {
      try {
        props.onProject(await work());
      } catch (e) {
        onError(e);
        // Put everything back where the core has it.
        if (diagram) {
          const again = toFlow(diagram, onBadge);
          setNodes(again.nodes);
          setEdges(again.edges);
        }
      }
    },
    [props, onError, diagram, onBadge],
  );
  const renameStep = useRenameStep(act);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [],
  );

  const onNodeDragStop = (_: unknown, node: Node, dragged: Node[]) => {
    if (!diagram) return;
    if (node.type === "lane") {
      // The dropped lane goes where its centre is among the others.
      const across = (n: Node) => {
        const d = n.data as LaneData;
        return vertical ? n.position.x + d.width / 2 : n.position.y + d.height / 2;
      };
      const lanes = nodes.filter((n) => n.type === "lane").map((n) => (n.id === node.id ? node : n));
      const order = lanes
        .sort((a, b) => across(a) - across(b))
        .map((n) => n.id.slice("lane:".length))
        .filter((id) => id !== "");
      void act(() => unwrap(commands.setLaneOrder(workflowId, order)));
      return;
    }
    const drops = dragged
      .filter((n) => n.type === "step")
      .map((n) => ({ step_id: n.id, x: n.position.x, y: n.position.y }));
    if (drops.length > 0) void act(() => unwrap(commands.dropSteps(workflowId, vertical, drops)));
  };

  const onConnect = (c: Connection) => {
    void act(async () => (await unwrap(commands.addHandoff(c.source, c.target))).project);
  };

  // Deletions go through the core one by one; React Flow itself deletes nothing.
  const onBeforeDelete = async ({ nodes: gone, edges: cut }: { nodes: Node[]; edges: Edge[] }) => {
    const goneIds = new Set(gone.map((n) => n.id));
    for (const e of cut) {
      // Edges of a deleted step go with it.
      if (goneIds.has(e.source) || goneIds.has(e.target)) continue;
      await act(() => unwrap(commands.removeHandoff(e.id)));
    }
    for (const n of gone) {
      if (n.type === "step") await act(() => unwrap(commands.removeStep(n.id)));
    }
    return false;
  };

  const selectedStep = nodes.find((n) => n.selected && n.type === "step" && (n.data as StepData).node.step);
  const selectedEdge = edges.find((e) => e.selected);
  const exportDiagram = async () => {
    try {
      const path = await commands.choosePath("save_diagram", "Export diagram");
      if (!path) return;
      await unwrap(commands.exportDiagram(workflowId, vertical, path));
    } catch (e) {
      onError(e);
    }
  };

  const laneIds = diagram?.lanes.map((l) => l.id) ?? [];
  const missingRoles = project.roles.filter((r) => !laneIds.includes(r.id));
  const stepFindings = focus
    ? findings.filter((f) => diagram?.nodes.find((n) => n.id === focus.id)?.findings.includes(f.id))
    : [];
  const commentTarget =
    focus ??
    (selectedStep
      ? { kind: "step" as const, id: selectedStep.id, label: (selectedStep.data as StepData).node.label }
      : selectedEdge
        ? { kind: "handoff" as const, id: selectedEdge.id, label: "the selected handoff" }
        : null);

  return (
    <section className="area swimlanes" data-testid="swimlanes">
      <div className="area-head">
        <h1>Swimlanes</h1>
        <select value={workflowId} onChange={(e) => props.onWorkflow(e.target.value)} aria-label="Workflow">
          {project.workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
        <div className="toolbar-group">
          <button onClick={() => setAdding({ name: "", lane: diagram?.lanes[0]?.id ?? "", kind: "task" })}>
            Add step
          </button>
          <button
            disabled={!selectedStep}
            onClick={() =>
              selectedStep &&
              setRenaming({ id: selectedStep.id, name: (selectedStep.data as StepData).node.label })
            }
          >
            Rename
          </button>
          <select
            value=""
            aria-label="Add lane"
            disabled={missingRoles.length === 0}
            onChange={(e) =>
              void act(() =>
                unwrap(
                  commands.setLaneOrder(workflowId, [...laneIds.filter((l) => l !== ""), e.target.value]),
                ),
              )
            }
          >
            <option value="">Add lane…</option>
            {missingRoles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          <button onClick={() => void act(() => unwrap(commands.autoLayout(workflowId)))}>Auto-layout</button>
          <label className="inline">
            <input type="checkbox" checked={vertical} onChange={(e) => setVertical(e.target.checked)} />{" "}
            Vertical lanes
          </label>
          <button onClick={() => fit(minimap)}>Fit</button>
          <label className="inline">
            <input
              type="checkbox"
              checked={minimap}
              onChange={(e) => {
                setMinimap(e.target.checked);
                localStorage.setItem(MINIMAP_KEY, e.target.checked ? "shown" : "hidden");
              }}
            />{" "}
            Minimap
          </label>
          <button onClick={() => void exportDiagram()}>Export…</button>
          <button
            className={panel === "comments" ? "active" : ""}
            onClick={() => {
              setFocus(null);
              setPanel(panel === "comments" ? null : "comments");
            }}
          >
            Comments ({comments.filter((c) => !c.resolved).length})
          </button>
        </div>
      </div>
      {adding && (
        <form
          className="add-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const created = await unwrap(
                commands.addStep(workflowId, adding.name, adding.kind, adding.lane),
              );
              return created.project;
            }).then(() => setAdding(null));
          }}
        >
          <input
            autoFocus
            value={adding.name}
            placeholder="Step name"
            aria-label="New step name"
            onChange={(e) => setAdding({ ...adding, name: e.target.value })}
          />
          <select
            value={adding.lane}
            onChange={(e) => setAdding({ ...adding, lane: e.target.value })}
            aria-label="Lane"
          >
            {diagram?.lanes.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          <select
            value={adding.kind}
            onChange={(e) => setAdding({ ...adding, kind: e.target.value as StepKind })}
            aria-label="Kind"
          >
            <option value="task">Task</option>
            <option value="decision">Decision</option>
          </select>
          <button type="submit" disabled={!adding.name.trim()}>
            Add
          </button>
          <button type="button" onClick={() => setAdding(null)}>
            Cancel
          </button>
        </form>
      )}
      <MergeInstead
        asking={renameStep.asking}
        onMerge={() => void renameStep.merge()}
        onCancel={renameStep.cancel}
      />
      {renaming && (
        <form
          className="add-form"
          onSubmit={(e) => {
            e.preventDefault();
            const from = diagram?.nodes.find((n) => n.id === renaming.id)?.label ?? "";
            void renameStep.rename(renaming.id, from, renaming.name).then(() => setRenaming(null));
          }}
        >
          <input
            autoFocus
            value={renaming.name}
            aria-label="Step name"
            onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
          />
          <button type="submit" disabled={!renaming.name.trim()}>
            Rename
          </button>
          <button type="button" onClick={() => setRenaming(null)}>
            Cancel
          </button>
        </form>
      )}
      {parts.length > 1 && (
        <div className="diagram-parts" role="group" aria-label="Parts of the diagram">
          <span>Too long to read whole at this size:</span>
          {parts.map((p, i) => (
            <button
              key={i}
              className={i === part ? "active" : ""}
              aria-pressed={i === part}
              onClick={() => showPart(parts, i)}
              title={`${p.first} … ${p.last}`}
            >
              Part {i + 1}
            </button>
          ))}
          {parts[part]?.handoffs.length > 0 && (
            <span className="meta" data-testid="part-handoffs">
              Continues: {parts[part].handoffs.join("; ")}
            </span>
          )}
        </div>
      )}
      <div className="canvas-legend" role="note" aria-label="Legend">
        <span>
          <span className="legend-line flow" /> Flow within a role
        </span>
        <span>
          <span className="legend-line handoff" /> Handoff between roles
        </span>
        <span>
          <span className="legend-dot high" /> <span className="legend-dot medium" />{" "}
          <span className="legend-dot low" /> Findings (high, medium, low)
        </span>
        <span>
          <span className="legend-comment" /> Open comments
        </span>
      </div>
      <div className="diagram-split">
        <div className="diagram-canvas" data-testid="diagram-canvas" ref={canvas}>
          {diagram && diagram.nodes.length === 0 ? (
            <p className="empty">
              This workflow has no steps yet. Capture interviews (their statements become steps) or use Add
              step.
            </p>
          ) : (
            <ReactFlow
              colorMode="system"
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={(changes) =>
                setEdges((es) =>
                  es.map((e) => {
                    const c = changes.find((ch) => "id" in ch && ch.id === e.id && ch.type === "select");
                    return c && c.type === "select" ? { ...e, selected: c.selected } : e;
                  }),
                )
              }
              onNodeDragStop={onNodeDragStop}
              onConnect={onConnect}
              onBeforeDelete={onBeforeDelete}
              onNodeDoubleClick={(_, n) =>
                n.type === "step" &&
                (n.data as StepData).node.step &&
                setRenaming({ id: n.id, name: (n.data as StepData).node.label })
              }
              deleteKeyCode={["Delete", "Backspace"]}
              // Large maps draw only what is on screen, so panning stays smooth.
              onlyRenderVisibleElements={nodes.length > 150}
              minZoom={0.05}
              maxZoom={2.5}
              fitView
              fitViewOptions={fitOptions(minimap)}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} />
              <Controls showInteractive={false} />
              {minimap && (
                <MiniMap
                  pannable
                  zoomable
                  ariaLabel="Minimap"
                  style={{ width: MINIMAP_SIZE.width, height: MINIMAP_SIZE.height }}
                  nodeColor={(n) => (n.type === "lane" ? "#e2e8f0" : "#475569")}
                />
              )}
            </ReactFlow>
          )}
        </div>
        {panel === "comments" && (
          <CommentsPanel
            project={project}
            comments={comments}
            target={commentTarget}
            act={act}
            onClose={() => {
              setPanel(null);
              setFocus(null);
            }}
            onCommented={setFocus}
          />
        )}
        {panel === "findings" && focus && (
          <aside className="side-panel" data-testid="evidence-panel">
            <div className="panel-head">
              <h2>Findings on “{focus.label}”</h2>
              <button className="link" onClick={() => setPanel(null)} aria-label="Close findings">
                ✕
              </button>
            </div>
            <ul className="findings-list">
              {stepFindings.map((f) => (
                <FindingCard
                  key={f.id}
                  finding={f}
                  open
                  onOpenInterview={props.onOpenInterview}
                  triage={(status, reason) => act(() => unwrap(commands.triageFinding(f.id, status, reason)))}
                />
              ))}
            </ul>
          </aside>
        )}
      </div>
      <p className="muted hint">
        Drag a step into another lane to change who owns it; drag a lane by its header to reorder lanes; drag
        from a step's edge handle to another step to connect them; Delete removes what is selected; Shift-drag
        selects several steps. Every change is saved and can be undone (Ctrl+Z).
      </p>
    </section>
  );
}

/** The swimlane editor of the chosen workflow's current-state map. */
export function Swimlanes(props: {
  project: ProjectView;
  workflowId: string | null;
  onWorkflow: (id: string) => void;
  onProject: (project: ProjectView) => void;
  onError: (e: unknown) => void;
  onOpenInterview: (id: string) => void;
  /** A step to select, centre and show the findings of (from the Findings screen). */
  focusStep?: string | null;
  onFocused?: () => void;
}) {
  const workflowId = props.workflowId ?? props.project.workflows[0]?.id ?? null;
  if (!workflowId) {
    return (
      <section className="area">
        <h1>Swimlanes</h1>
        <p className="empty">
          No workflows yet. Add a workflow on the home screen, or start from a template.
        </p>
      </section>
    );
  }
  return (
    <ReactFlowProvider key={workflowId}>
      <Editor {...props} workflowId={workflowId} />
    </ReactFlowProvider>
  );
}
