import { InMemorySuppression } from './support/in-memory-suppression.ts';
import { suppressionContract } from './support/suppression-contract.ts';

// The same contract runs against DynamoDB Local in test/local/suppression-contract.test.ts.
suppressionContract('in memory', () => new InMemorySuppression());
