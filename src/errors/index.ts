export { type ClassifyOptions, classify } from "./classify.js";
export {
  ContractError,
  type ContractErrorJSON,
  type ContractIssue,
  contractIssue,
  isContractError,
} from "./contract-error.js";
export { CrmError, type CrmErrorJSON, type CrmErrorOptions, isCrmError } from "./crm-error.js";
export {
  actionFor,
  CRM_ERROR_REASONS,
  type CrmErrorAction,
  type CrmErrorReason,
  isCrmErrorReason,
  REASON_ACTIONS,
  reasonForStatus,
} from "./reasons.js";
export {
  isSecretKey,
  REDACTED,
  type RedactOptions,
  redact,
  redactHeaders,
  redactString,
  redactUrl,
} from "./redact.js";
