// A test oracle for Serverless Workflow 1.0 exports, NOT a runtime: no 1.0 runtime is published,
// so this walks the subset of the DSL Baton writes (`do` lists with `then`, `emit`, `set`,
// `listen` with `to.any` filters, `correlate`, `until` and `timeout`, `try`/`catch`, `switch`)
// by the specification's rules, and evaluates every runtime expression with the real jq program
// (Debian's `jq`). The host receives the workflow's `emit`s and records what each case goes
// through as the reference semantics describes it (docs/semantics.md).
//
// Where the specification leaves a detail open, the walker decides, and the export relies on no
// more than this:
// - `until` on `any` is evaluated against the events consumed so far by that listen, in order;
//   the listen ends when it is true, and its output is those events;
// - an event reaches a listen when it matches one filter's `with` attributes exactly and every
//   `correlate` entry's `from` (over the event) equals its `expect` (over `$workflow`);
// - a `timeout` runs from the moment the task starts and raises the DSL's timeout error;
// - a `switch` takes its first case whose `when` is true, or its case without `when`.
import { spawn } from "node:child_process";
import { enter, escalate, newRecord } from "./record.mjs";

const TIMEOUT = "https://serverlessworkflow.io/spec/1.0.0/errors/timeout";

/** The text of a runtime expression `${ … }`, or null. */
function expression(value) {
  const m = typeof value === "string" ? value.match(/^\$\{([\s\S]*)\}$/) : null;
  return m ? m[1].trim() : null;
}

/** Every runtime expression in `doc`. */
function expressions(doc, into = new Set()) {
  if (Array.isArray(doc)) doc.forEach((d) => expressions(d, into));
  else if (doc && typeof doc === "object")
    Object.values(doc).forEach((d) => expressions(d, into));
  else if (expression(doc) !== null) into.add(expression(doc));
  return into;
}

/**
 * One jq process evaluating a workflow's expressions: a line in ({k, in, workflow}) gives a line
 * out ({v} or {error}), so the walker asks as it goes without starting jq each time.
 */
export class Jq {
  constructor(doc) {
    this.list = [...expressions(doc)];
    const branches = this.list
      .map((e, k) => `${k === 0 ? "if" : "elif"} $k == ${k} then (${e})`)
      .join(" ");
    const program = `inputs | .workflow as $workflow | .k as $k | .in | try ([${branches} else error("unknown expression") end] | {v: .[0]}) catch {error: .}`;
    this.process = spawn("jq", ["-n", "-c", "--unbuffered", program], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.waiting = [];
    let rest = "";
    this.process.stdout.setEncoding("utf8");
    this.process.stdout.on("data", (chunk) => {
      rest += chunk;
      let n;
      while ((n = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, n);
        rest = rest.slice(n + 1);
        this.waiting.shift()(JSON.parse(line));
      }
    });
  }

  /** `text` (an expression of the workflow) over `input`, with `$workflow`. */
  async eval(text, input, workflow) {
    const k = this.list.indexOf(text);
    if (k < 0) throw new Error(`not an expression of this workflow: ${text}`);
    const answer = await new Promise((resolve) => {
      this.waiting.push(resolve);
      this.process.stdin.write(
        JSON.stringify({ k, in: input ?? null, workflow }) + "\n",
      );
    });
    if ("error" in answer) throw new Error(`jq: ${answer.error} in ${text}`);
    return answer.v;
  }

  /** A value: a runtime expression's result, or the value itself. */
  async value(value, input, workflow) {
    const text = expression(value);
    return text === null ? value : this.eval(text, input, workflow);
  }

  close() {
    this.process.stdin.end();
  }
}

/** Seconds in an ISO 8601 duration (PnDTnHnMnS). */
function seconds(duration) {
  const m = duration.match(
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
  );
  if (!m) throw new Error(`not a duration: ${duration}`);
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + min) * 60 + s;
}

/** One workflow instance, walked as its events and time arrive. */
export class Instance {
  constructor(doc, jq, input, clock, onEmit) {
    this.doc = doc;
    this.jq = jq;
    this.workflow = { input };
    this.clock = clock;
    this.onEmit = onEmit;
    this.listening = null;
    this.ended = false;
    this.faulted = null;
    this.settled = null;
  }

  /** Starts the workflow; resolves when it waits for an event or has ended. */
  start() {
    const settled = this.#untilSettled();
    this.#doList(this.doc.do, this.workflow.input)
      .then((r) => {
        this.ended = r.end !== "fault";
      })
      .catch((e) => {
        this.faulted = e;
      })
      .finally(() => {
        this.listening = null;
        this.#settle();
      });
    return settled;
  }

  /** When the running listen times out, if one runs with a timeout. */
  get deadline() {
    return this.listening?.deadline ?? null;
  }

  /** Offers `event` (a CloudEvent); resolves when the instance has taken it in. */
  async offer(event) {
    const l = this.listening;
    if (!l) return;
    let matched = false;
    for (const filter of l.listen.to.any) {
      if (!Object.entries(filter.with).every(([k, v]) => event[k] === v))
        continue;
      let correlated = true;
      for (const c of Object.values(filter.correlate ?? {})) {
        const from = await this.jq.value(c.from, event, this.workflow);
        const expect = await this.jq.value(c.expect, null, this.workflow);
        if (from !== expect) correlated = false;
      }
      if (correlated) matched = true;
      if (matched) break;
    }
    if (!matched || this.listening !== l) return;
    l.consumed.push(event);
    const until = l.listen.to.until;
    const done =
      until === undefined ||
      (await this.jq.value(until, l.consumed, this.workflow)) === true;
    if (!done) return;
    const settled = this.#untilSettled();
    this.listening = null;
    l.resolve(l.consumed);
    await settled;
  }

  /** Time has come to the running listen's deadline: it times out. */
  async timeOut() {
    const l = this.listening;
    if (!l) return;
    const settled = this.#untilSettled();
    this.listening = null;
    l.reject({ type: TIMEOUT, status: 408 });
    await settled;
  }

  #untilSettled() {
    return new Promise((resolve) => (this.settled = resolve));
  }

  #settle() {
    const s = this.settled;
    this.settled = null;
    s?.();
  }

  /** Runs a `do` list from its first task; resolves with {data, end?}. */
  async #doList(list, input) {
    const index = (name) => list.findIndex((t) => Object.keys(t)[0] === name);
    let i = 0;
    let data = input;
    while (i < list.length) {
      const [name, task] = Object.entries(list[i])[0];
      const r = await this.#task(task, data);
      if (r.end) return r;
      data = r.data;
      const then = r.then ?? task.then;
      if (then === "end") return { data, end: "end" };
      if (then === "exit") return { data };
      if (then && then !== "continue") {
        i = index(then);
        if (i < 0) throw new Error(`${name}: then ${then} names no task`);
        continue;
      }
      i += 1;
    }
    return { data };
  }

  /** Runs one task; resolves with {data, then?, end?}. */
  async #task(task, input) {
    if (task.emit) {
      const w = task.emit.event.with;
      this.onEmit({
        ...w,
        data: await this.jq.value(w.data, input, this.workflow),
      });
      return { data: input };
    }
    if (task.set) return { data: task.set };
    if (task.listen) {
      const consumed = await new Promise((resolve, reject) => {
        const deadline = task.timeout
          ? this.clock.now + seconds(task.timeout.after)
          : null;
        this.listening = {
          listen: task.listen,
          consumed: [],
          resolve,
          reject,
          deadline,
        };
        this.#settle();
      });
      const data = task.output?.as
        ? await this.jq.value(task.output.as, consumed, this.workflow)
        : consumed;
      return { data };
    }
    if (task.try) {
      try {
        return await this.#doList(task.try, input);
      } catch (error) {
        const wanted = task.catch?.errors?.with ?? {};
        if (!Object.entries(wanted).every(([k, v]) => error?.[k] === v))
          throw error;
        return await this.#doList(task.catch.do ?? [], input);
      }
    }
    if (task.switch) {
      for (const c of task.switch) {
        const [, body] = Object.entries(c)[0];
        if (body.when === undefined) return { data: input, then: body.then };
        if ((await this.jq.value(body.when, input, this.workflow)) === true)
          return { data: input, then: body.then };
      }
      return { data: input };
    }
    throw new Error(`a task the walker does not know: ${JSON.stringify(task)}`);
  }
}

/**
 * Runs `cases` ([{id, facility, inputs: [{at, event?, data}]}]) of the workflow `doc` together,
 * every event offered to every instance (correlation decides), timeouts on a simulated clock;
 * returns each case's record.
 */
export async function runCases(doc, cases) {
  const jq = new Jq(doc);
  const clock = { now: 0 };
  const inputs = cases
    .flatMap((c, k) => c.inputs.map((input, n) => ({ ...input, k, n })))
    .sort((a, b) => a.at - b.at || a.k - b.k || a.n - b.n);
  clock.now = inputs[0]?.at ?? 0;
  const runs = [];
  for (const c of cases) {
    const record = newRecord();
    let started = false;
    const onEmit = (e) => {
      if (e.type === "baton.enter") {
        // The first entry is the case starting: not a state entered by an event.
        enter(record, e.data, c.facility);
        if (!started) record.entered.pop();
        started = true;
      } else if (e.type === "baton.escalate") {
        escalate(record, e.data.role, e.data.state);
      } else if (e.type === "baton.write_back") {
        for (const w of e.data.write_backs)
          record.writeBacks.push(`${w.field}=${w.value}`);
      }
    };
    const instance = new Instance(
      doc,
      jq,
      { case_id: c.id, facility: c.facility ?? null },
      clock,
      onEmit,
    );
    await instance.start();
    runs.push({ instance, record });
  }
  const until = async (at) => {
    for (;;) {
      const due = runs
        .filter(
          (r) => r.instance.deadline !== null && r.instance.deadline <= at,
        )
        .sort((a, b) => a.instance.deadline - b.instance.deadline)[0];
      if (!due) break;
      clock.now = due.instance.deadline;
      await due.instance.timeOut();
    }
    clock.now = at;
  };
  for (const input of inputs) {
    await until(input.at);
    if (!input.event) continue;
    const event = {
      specversion: "1.0",
      id: `${cases[input.k].id}-${input.n}`,
      source: "baton://conformance",
      type: input.event,
      subject: cases[input.k].id,
      data: input.data ?? {},
    };
    for (const r of runs) await r.instance.offer(event);
  }
  await until(inputs.at(-1)?.at ?? 0);
  jq.close();
  return runs.map(({ instance, record }) => {
    if (instance.faulted) throw instance.faulted;
    return { ...record, finished: instance.ended };
  });
}
