import { acceptanceContract } from './support/acceptance-contract.ts';
import { InMemoryBank } from './support/in-memory.ts';
import { InMemoryAdSpends } from './support/in-memory-ad-spend.ts';
import { type PortsUnderTest, portsContract } from './support/ports-contract.ts';
import { touchContract } from './support/touch-contract.ts';

// The same contract runs against DynamoDB Local in test/local/ports-contract.test.ts.
const setup = (): PortsUnderTest => {
  const bank = new InMemoryBank();
  return {
    leads: bank.leads,
    spends: new InMemoryAdSpends(bank),
    managers: bank.managers,
    clients: bank.clients,
    notifications: bank.notifications,
    putManager: (m) => bank.putManager(m),
    putClient: (c) => bank.putClient(c),
    notification: async (leadId, managerId) => bank.notification(leadId, managerId),
  };
};

portsContract('in memory', setup);
touchContract('in memory', setup);
acceptanceContract('in memory', setup);
