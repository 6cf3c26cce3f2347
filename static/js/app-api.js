// The app's scripting API (window.gatewise, the teaching views, the notebook widget): what a script
// reads from the page and the few things it may do besides setProgram, evaluate and scrub.
import { clearLayoutCache } from './layout-client.js';
import { pickValues } from './values.js';

export const scriptingApi = {
  /** The last drawn graph (the API's JSON). */
  getGraph() {
    return this.graph;
  },

  /** The indexed graph (see graph-state.js). */
  getIndex() {
    return this.index;
  },

  /** The program as the API sees it: text, the values of its inputs, expansions. */
  getProgram() {
    return { expression: this.views.editor.value, values: pickValues(this.values, this.known), expand: this.expanded };
  },

  /** The current link: {hash, omitted} (names whose values were too big for a URL). */
  getLink() {
    return this.link;
  },

  /** The view's zoom, and how it was set ("fit", "inputs", "keep"): for tests and scripts. */
  viewScale() {
    return this.views.viewport.scale;
  },

  /** Zooms the view to scale k around the stage's centre (tests, benchmarks, scripts). */
  zoomTo(k) {
    this.views.viewport.zoomTo(k);
  },

  /** How the view was last set: "fit", "inputs" (a first view) or "keep". */
  viewMode() {
    return this.views.viewport.mode;
  },

  /** Forgets the laid-out rows and the drawn structure: the next evaluation lays out from scratch. */
  forgetLayouts() {
    clearLayoutCache();
    this.layoutKey = null;
  },

  /** The current layout model (node boxes, edge polylines, size). */
  getLayout() {
    return this.model;
  },

  /** Calls cb(pos, activeStep) after every animation move (teaching views follow it). */
  onStep(cb) {
    this.stepListeners.add(cb);
    return () => this.stepListeners.delete(cb);
  },

  /** The animation schedule ({steps, forwardCount, length}) and its position. */
  getSchedule() {
    return this.schedule;
  },

  /** Moves the animation to step pos, as the player's buttons do. */
  seekTo(pos) {
    this.views.controls.seek(pos);
  },

  /** Calls cb(graph) after every drawn evaluation; returns an unsubscribe function. */
  onGraph(cb) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  },
};
