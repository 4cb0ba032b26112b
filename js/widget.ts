import type { AnyModel, Render } from "@anywidget/types";
import "./widget.css";

interface WidgetModel {
  status: string;
}

const render: Render<WidgetModel> = ({ model, el }) => {
  const line = document.createElement("div");
  line.className = "hitl-status";
  const update = () => {
    line.textContent = model.get("status");
  };
  model.on("change:status", update);
  update();
  el.append(line);
  return () => model.off("change:status", update);
};

export default { render } satisfies { render: Render<WidgetModel> } & Partial<{ model: AnyModel<WidgetModel> }>;
