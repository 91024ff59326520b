import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { CitizenLayout, RequireCitizen } from "./citizen/citizen-layout";
import { NotFoundPage } from "./not-found.page";

/** Each page is its own chunk, loaded when first opened: the first load stays small. */
function page(load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, "lazy"> {
  return { lazy: async () => ({ Component: (await load()).default }) };
}

export const routes: RouteObject[] = [
  {
    element: <CitizenLayout />,
    children: [
      { path: "sign-in", ...page(() => import("./citizen/sign-in.page")) },
      { path: "activate", ...page(() => import("./citizen/activate.page")) },
      { path: "rules", ...page(() => import("./citizen/rules.page")) },
      {
        element: <RequireCitizen />,
        children: [
          { index: true, ...page(() => import("./citizen/home.page")) },
          { path: "history", ...page(() => import("./citizen/history.page")) },
          { path: "history/:entryId", ...page(() => import("./citizen/entry.page")) },
          { path: "access-log", ...page(() => import("./citizen/access-log.page")) },
          { path: "consents", ...page(() => import("./citizen/consents.page")) },
          { path: "benefits", ...page(() => import("./citizen/benefits.page")) },
          { path: "notifications", ...page(() => import("./citizen/notifications.page")) },
          { path: "more", ...page(() => import("./citizen/more.page")) },
        ],
      },
      // In the citizen frame: its header and, once signed in, its navigation lead back.
      { path: "*", Component: NotFoundPage },
    ],
  },
  {
    path: "console",
    ...page(() => import("./console/console-layout")),
    children: [
      { path: "sign-in", ...page(() => import("./console/sign-in.page")) },
      {
        ...page(() => import("./console/require-operator")),
        children: [
          { index: true, ...page(() => import("./console/console-home")) },
          { path: "reviews", ...page(() => import("./console/reviews.page")) },
          { path: "appeals", ...page(() => import("./console/appeals.page")) },
          { path: "dashboard", ...page(() => import("./console/dashboard.page")) },
          { path: "rulebook", ...page(() => import("./console/rulebook.page")) },
          { path: "access", ...page(() => import("./console/access.page")) },
          { path: "audit", ...page(() => import("./console/audit.page")) },
        ],
      },
      // In the console's frame, whose header leads back to the console.
      { path: "*", Component: NotFoundPage },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
