import { InMemoryOffers } from './support/in-memory-offers.ts';
import { offersContract } from './support/offers-contract.ts';

// The same contract runs against DynamoDB Local in test/local/offers-contract.test.ts.
offersContract('in memory', () => new InMemoryOffers());
