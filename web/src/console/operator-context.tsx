import { createContext, useContext } from "react";
import type { OperatorSession } from "../api/operator-session";

export type OperatorContextValue = Readonly<{
  session: OperatorSession | undefined;
  setSession: (session: OperatorSession | undefined) => void;
}>;

export const OperatorContext = createContext<OperatorContextValue | undefined>(undefined);

export function useOperator(): OperatorContextValue {
  const context = useContext(OperatorContext);
  if (!context) throw new Error("useOperator outside the console layout");
  return context;
}
