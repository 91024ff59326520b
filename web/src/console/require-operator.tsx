import { Navigate, Outlet } from "react-router";
import { useOperator } from "./operator-context";

/** Console pages need a reviewer's or an admin's key. */
export default function RequireOperator() {
  const { session } = useOperator();
  if (!session) return <Navigate to="/console/sign-in" replace />;
  return <Outlet />;
}
