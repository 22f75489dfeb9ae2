// Test support: keeps fabric-contract-api's decorator logging out of unit test output unless asked for.
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'ERROR';
