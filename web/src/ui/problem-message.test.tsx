import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiProblem, type Problem } from "../api/client";
import { formatsFor } from "../i18n/format";
import { I18nProvider, type Language, translatorFor } from "../i18n/i18n";
import { TextField } from "./field";
import { ProblemMessage, problemField, problemIdFor } from "./problem-message";
import { problemText } from "./problem-text";

type Facts = Partial<Problem>;

function wordedIn(language: Language, problem: Facts): string | undefined {
  return problemText(problem, { ...translatorFor(language), format: formatsFor(language) });
}

/** A problem as the API answers it: `detail` is always there, in English. */
function apiProblem(status: number, facts: Facts): ApiProblem {
  return new ApiProblem(status, { detail: "the English detail", ...facts });
}

function rendered(language: Language, element: React.ReactElement): string {
  return renderToStaticMarkup(<I18nProvider language={language}>{element}</I18nProvider>);
}

/** Every reason the API sends, with its facts, and its words in both languages. */
const worded: ReadonlyArray<Readonly<{ problem: Facts; en: string; zh: string }>> = [
  {
    problem: { reason: "wrong_credentials" },
    en: "The id or the passphrase is wrong.",
    zh: "编号或口令不正确。",
  },
  {
    problem: { reason: "invalid_activation_code" },
    en: "The activation code is wrong, has been used already, or has expired.",
    zh: "激活码不正确、已被使用或已过期。",
  },
  {
    problem: { reason: "too_many_sign_ins", attemptsMax: 10, retryAfterSeconds: 42 },
    en: "At most 10 attempts a minute are allowed from one address: try again in 42 seconds.",
    zh: "同一地址每分钟最多尝试 10 次，请在 42 秒后重试。",
  },
  {
    problem: { reason: "too_many_requests", requestsMax: 6_000, retryAfterSeconds: 7 },
    en: "At most 6,000 requests a minute are allowed: try again in 7 seconds.",
    zh: "每分钟最多允许 6,000 次请求，请在 7 秒后重试。",
  },
  {
    problem: { reason: "session_invalid" },
    en: "Your session has ended: sign in again.",
    zh: "您的登录已失效，请重新登录。",
  },
  {
    problem: { reason: "credentials_missing" },
    en: "You are not signed in, or your session has ended: sign in again.",
    zh: "您尚未登录，或登录已失效，请重新登录。",
  },
  {
    problem: { reason: "public_task_needs_no_consent" },
    en: "Authorities acting on a public task need no consent, so none can be given.",
    zh: "政府机关基于公共职责查询无需授权，因此不能就此作出授权。",
  },
  {
    problem: { reason: "unknown_partner", partner: "city-bank" },
    en: "There is no partner named “city-bank”.",
    zh: "没有名为“city-bank”的合作方。",
  },
  {
    problem: {
      reason: "purpose_not_declared",
      partner: "city-bank",
      purpose: "tenancy",
      declaredPurposes: ["credit", "insurance", "travel"],
    },
    en: "city-bank has not declared the purpose “Tenancy”; it declared Credit, Insurance, and Travel.",
    zh: "city-bank 未申报用途“租房”；其申报的用途为信贷、保险和出行。",
  },
  {
    problem: { reason: "until_not_in_future" },
    en: "The end date must be in the future.",
    zh: "有效期截止时间须在将来。",
  },
  {
    problem: { reason: "consent_too_long", daysMax: 365 },
    en: "A consent may last at most 365 days.",
    zh: "授权最长有效 365 天。",
  },
  {
    problem: { reason: "unknown_consent", consentId: 7 },
    en: "You have no live consent 7: it may have been revoked or have expired.",
    zh: "您没有编号为 7 的有效授权：它可能已被撤回或已到期。",
  },
  {
    problem: { reason: "unknown_entry", entryId: 12 },
    en: "There is no entry 12 on your record.",
    zh: "您的记录中没有编号为 12 的记录。",
  },
  {
    problem: { reason: "appealed_before", entryId: 12 },
    en: "Entry 12 was appealed before: an entry can be appealed once.",
    zh: "编号为 12 的记录已申诉过：每条记录只能申诉一次。",
  },
  {
    problem: { reason: "entry_not_appealable", entryId: 12, entryStatus: "rejected" },
    en: "Entry 12 cannot be appealed: its status is “Rejected by a reviewer”.",
    zh: "编号为 12 的记录不能申诉：其状态为“审核未通过”。",
  },
];

describe("problemText", () => {
  it.each(worded)("words $problem.reason in English and in Chinese", ({ problem, en, zh }) => {
    expect(wordedIn("en", problem)).toBe(en);
    expect(wordedIn("zh-CN", problem)).toBe(zh);
  });

  it("leaves a reason it does not know, or one without its facts, to the detail", () => {
    const newer = { reason: "consent_paused", detail: "the partner paused" } as unknown as Facts;
    for (const problem of [newer, { reason: "unknown_partner" } as Facts, {}]) {
      expect(wordedIn("en", problem)).toBeUndefined();
      expect(wordedIn("zh-CN", problem)).toBeUndefined();
    }
  });
});

describe("ProblemMessage", () => {
  it("says a known reason in the reader's language, after the translated lead", () => {
    const error = apiProblem(422, {
      code: "unprocessable",
      reason: "unknown_partner",
      partner: "x",
    });
    const zh = rendered("zh-CN", <ProblemMessage error={error} id="grant-problem" />);
    expect(zh).toContain('id="grant-problem"');
    expect(zh).toContain("<strong>操作未成功。</strong> 没有名为“x”的合作方。");
    expect(zh).not.toContain("English detail");
    const en = rendered("en", <ProblemMessage error={error} />);
    expect(en).toContain("<strong>That did not work.</strong> There is no partner named “x”.");
  });

  it("falls back to the English detail for a reason it does not know", () => {
    const error = apiProblem(409, {
      code: "conflict",
      reason: "entry_sealed" as Problem["reason"],
      detail: "entry 3 is sealed by a court order",
    });
    expect(rendered("zh-CN", <ProblemMessage error={error} />)).toContain(
      "<strong>操作未成功。</strong> Entry 3 is sealed by a court order",
    );
  });

  it("still names a validation problem's field by its label", () => {
    const error = apiProblem(400, {
      code: "validation_failed",
      detail: "body /until: Invalid ISO datetime",
      issues: [{ path: "/until", message: "Invalid ISO datetime" }],
    });
    const fields = { until: { label: "有效期至" } };
    expect(rendered("zh-CN", <ProblemMessage error={error} fields={fields} />)).toContain(
      "有效期至：Invalid ISO datetime",
    );
  });
});

describe("problemField and problemIdFor", () => {
  it("name the field of a validation problem by its path, as before", () => {
    const error = apiProblem(400, {
      code: "validation_failed",
      issues: [{ path: "/subjects/0/region", message: "Required" }],
    });
    expect(problemField(error)).toBe("region");
  });

  it("name the field a known refusal is about, and none for the others", () => {
    const refusal = (facts: Facts) =>
      problemField(apiProblem(422, { code: "unprocessable", ...facts }));
    expect(refusal({ reason: "unknown_partner", partner: "x" })).toBe("partner");
    expect(refusal({ reason: "consent_too_long", daysMax: 365 })).toBe("until");
    expect(refusal({ reason: "until_not_in_future" })).toBe("until");
    expect(refusal({ reason: "wrong_credentials" })).toBeUndefined();
    expect(refusal({})).toBeUndefined();
    expect(problemField(new Error("offline"))).toBeUndefined();
  });

  it("point the field the problem is about at the problem's text", () => {
    const error = apiProblem(422, {
      code: "unprocessable",
      reason: "unknown_partner",
      partner: "x",
    });
    const field = (name: string) =>
      rendered(
        "en",
        <TextField
          label={name}
          hint="a hint"
          problemId={problemIdFor(error, name, "the-problem")}
          value=""
          onChange={() => {}}
        />,
      );
    expect(field("partner")).toMatch(/aria-describedby="\S+-hint the-problem"/);
    expect(field("partner")).toContain('aria-invalid="true"');
    expect(field("until")).not.toContain("the-problem");
    expect(field("until")).not.toContain("aria-invalid");
  });
});
