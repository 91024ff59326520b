import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { citizenApi, unwrap } from "../api/client";

type CitizenSession = Readonly<{
  /** `undefined` until the first answer: then the signed-in subject, or null. */
  subjectId: string | null | undefined;
  signIn: (subjectId: string, passphrase: string) => Promise<void>;
  signOut: () => Promise<void>;
}>;

const SessionContext = createContext<CitizenSession | undefined>(undefined);

/**
 * The citizen's session lives in the HttpOnly cookie the API sets; the app only asks the API
 * whom the cookie names (GET /v1/whoami) and never sees the token.
 */
export function CitizenSessionProvider({ children }: Readonly<{ children: ReactNode }>) {
  const [subjectId, setSubjectId] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    unwrap(citizenApi.GET("/v1/whoami")).then(
      (principal) => setSubjectId(principal.role === "subject" ? principal.subjectId : null),
      () => setSubjectId(null),
    );
  }, []);
  const signIn = useCallback(async (subject: string, passphrase: string) => {
    const session = await unwrap(
      citizenApi.POST("/v1/session", { body: { subjectId: subject, passphrase } }),
    );
    setSubjectId(session.subjectId);
  }, []);
  const signOut = useCallback(async () => {
    await unwrap(citizenApi.DELETE("/v1/session"));
    setSubjectId(null);
  }, []);
  const value = useMemo(() => ({ subjectId, signIn, signOut }), [subjectId, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useCitizenSession(): CitizenSession {
  const context = useContext(SessionContext);
  if (!context) throw new Error("useCitizenSession outside <CitizenSessionProvider>");
  return context;
}
