import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { CitizenSessionProvider } from "./citizen/citizen-session";
import { I18nProvider } from "./i18n/i18n";
import { createRouter } from "./routes";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <CitizenSessionProvider>
        <RouterProvider router={createRouter()} />
      </CitizenSessionProvider>
    </I18nProvider>
  </StrictMode>,
);

// Installable and quick to reopen: the service worker keeps the app's own files, never data.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => undefined);
  });
}
