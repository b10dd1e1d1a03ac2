/** The areas of the app, in the order the sidebar lists them. */
export type Area =
  "home" | "interviews" | "current_state" | "swimlanes" | "emr" | "findings" | "proposals" | "telemetry";
