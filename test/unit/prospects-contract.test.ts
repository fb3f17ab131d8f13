import { InMemoryProspects } from './support/in-memory-prospects.ts';
import { type ProspectsUnderTest, prospectsContract } from './support/prospects-contract.ts';

// The same contract runs against DynamoDB Local in test/local/prospect-store.test.ts.
const setup = (): ProspectsUnderTest => {
  const store = new InMemoryProspects();
  return { imports: store, putClient: (c) => store.putClient(c) };
};

prospectsContract('in memory', setup);
