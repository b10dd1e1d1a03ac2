// jsdom lacks a few browser APIs that React Flow and the app touch.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

afterEach(() => {
  cleanup();
  clearMocks();
});

// React Flow measures nodes and the viewport; jsdom has none of these.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
class IdentityMatrix {
  m22 = 1;
  constructor() {}
}
(globalThis as { DOMMatrixReadOnly?: unknown }).DOMMatrixReadOnly ??= IdentityMatrix;
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
  dispatchEvent: () => false,
})) as typeof window.matchMedia;
