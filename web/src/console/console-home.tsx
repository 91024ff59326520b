import { Navigate } from "react-router";
import { useOperator } from "./operator-context";

/** /console opens the first page of the operator's role. */
export default function ConsoleHome() {
  const { session } = useOperator();
  return (
    <Navigate to={session?.role === "admin" ? "/console/dashboard" : "/console/reviews"} replace />
  );
}
