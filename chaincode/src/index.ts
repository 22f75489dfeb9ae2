// Chaincode entry point: the contract classes fabric-contract-api instantiates (lineage is the default contract).
import { AccessContract } from './contracts/access-contract.js';
import { DecisionContract } from './contracts/decision-contract.js';
import { DriftContract } from './contracts/drift-contract.js';
import { HistoryContract } from './contracts/history-contract.js';
import { LineageContract } from './contracts/lineage-contract.js';
import { PrivacyContract } from './contracts/privacy-contract.js';

export { AccessContract, DecisionContract, DriftContract, HistoryContract, LineageContract, PrivacyContract };

export const contracts = [LineageContract, DecisionContract, PrivacyContract, DriftContract, AccessContract, HistoryContract];
