/** The areas of the app, in the order the sidebar lists them. */
export type Area =
  "home" | "interviews" | "swimlanes" | "diagram" | "emr" | "findings" | "proposals" | "telemetry";
