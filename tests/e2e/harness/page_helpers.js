// In-page helpers of the e2e harness, installed into every page before its scripts run
// (Playwright `add_init_script`). They drive JupyterLab and Notebook 7 through the app the server
// exposes as `window.jupyterapp`, using only public APIs: the shell's main-area widgets, the
// notebook panel's session context, its notebook model, and app commands.
// Python calls them as `page.evaluate("([path, i]) => window.__e2e.runCells(path, [i])", ...)`.
window.__e2e = {
  app() {
    const app = window.jupyterapp;
    if (!app) throw new Error("window.jupyterapp is missing: the server must expose the app in the browser");
    return app;
  },

  /** The notebook panel open at `path` (relative to the server root), or null (also before the
   * app exists). */
  panel(path) {
    if (!window.jupyterapp) return null;
    for (const widget of window.jupyterapp.shell.widgets("main")) {
      if (widget.context?.path === path && widget.content?.model !== undefined) return widget;
    }
    return null;
  },

  mustPanel(path) {
    const panel = this.panel(path);
    if (!panel) throw new Error(`no notebook is open at ${path}`);
    return panel;
  },

  /** The id of the notebook's kernel once its document is loaded and its session has a kernel;
   * null before. */
  kernelId(path) {
    const panel = this.panel(path);
    if (!panel?.context.isReady) return null;
    return panel.sessionContext.session?.kernel?.id ?? null;
  },

  /** The kernel's status as the page sees it ("idle", "busy", "starting", ...; "none" without one). */
  kernelStatus(path) {
    return this.panel(path)?.sessionContext.session?.kernel?.status ?? "none";
  },

  cellCount(path) {
    return this.mustPanel(path).content.widgets.length;
  },

  /** Runs the cells at `indices` in order through the notebook's own run command (each resolves
   * once the kernel has replied and sent its outputs); stops at the first cell that shows an
   * error output and returns that cell's errors (none: every cell ran cleanly). Rejects if a
   * cell is still running after `timeoutMs`. */
  async runCells(path, indices, timeoutMs) {
    const panel = this.mustPanel(path);
    const notebook = panel.content;
    this.app().shell.activateById(panel.id);
    for (const index of indices) {
      if (index < 0 || index >= notebook.widgets.length) {
        throw new Error(`cell ${index} does not exist: the notebook has ${notebook.widgets.length} cells`);
      }
      notebook.activeCellIndex = index;
      notebook.deselectAll();
      let timer;
      const timeout = new Promise((_, reject) => {
        const stuck = () => reject(new Error(`cell ${index} still running after ${timeoutMs} ms`));
        timer = setTimeout(stuck, timeoutMs);
      });
      try {
        await Promise.race([this.app().commands.execute("notebook:run-cell"), timeout]);
      } finally {
        clearTimeout(timer);
      }
      const errors = this.errorOutputs(path, index);
      if (errors.length > 0) return errors;
    }
    return [];
  },

  /** Adds a code cell with `source` at the end of the notebook; returns its index. */
  appendCell(path, source) {
    const notebook = this.mustPanel(path).content;
    const index = notebook.widgets.length;
    notebook.model.sharedModel.insertCell(index, { cell_type: "code", source });
    return index;
  },

  /** The error outputs ("ename: evalue" and traceback) of the cell at `index`. */
  errorOutputs(path, index) {
    const cell = this.mustPanel(path).content.widgets[index];
    if (cell?.model.type !== "code") return [];
    return cell.model.outputs
      .toJSON()
      .filter((output) => output.output_type === "error")
      .map(({ ename, evalue, traceback }) => ({ cell: index, ename, evalue, traceback }));
  },

  /** Asks the app to switch to the theme named `theme` (e.g. "JupyterLab Dark"); the caller waits
   * for `themeShown(theme)`. */
  async setTheme(theme) {
    await this.app().commands.execute("apputils:change-theme", { theme });
  },

  /** True once `theme` is applied and the splash screen JupyterLab shows while it loads is gone. */
  themeShown(theme) {
    return document.body.dataset.jpThemeName === theme && this.splashGone();
  },

  /** True when no splash screen (shown while the app starts or changes theme) covers the page. */
  splashGone() {
    return document.getElementById("jupyterlab-splash") === null;
  },
};
