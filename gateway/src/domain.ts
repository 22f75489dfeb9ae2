// The gateway's one door into the chaincode's domain layer: the error table and the field-path format.
export { AuditError, ErrorCode, formatPath, httpStatusOf, parseChaincodeError, type DecodedChaincodeError } from '@aiaudit/chaincode/domain';
