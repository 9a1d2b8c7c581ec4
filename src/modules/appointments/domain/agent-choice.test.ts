import { describe, expect, it } from 'vitest';
import { rankAgents } from './agent-choice.js';

describe('agent choice for a public booking', () => {
  it('gives the slot to the agent with the fewest booked minutes that day', () => {
    expect(rankAgents([{ agentId: 1, bookedMinutes: 120 }, { agentId: 2, bookedMinutes: 30 }, { agentId: 3, bookedMinutes: 60 }], 'k')).toEqual([2, 3, 1]);
  });

  it('breaks ties the same way for the same request, so a retry asks for the same agent', () => {
    const loads = [{ agentId: 1, bookedMinutes: 0 }, { agentId: 2, bookedMinutes: 0 }];
    expect(rankAgents(loads, 'request-a')).toEqual(rankAgents(loads, 'request-a'));
  });

  it('does not always favour the lowest id when agents are equally booked', () => {
    const loads = [{ agentId: 1, bookedMinutes: 0 }, { agentId: 2, bookedMinutes: 0 }];
    const firsts = new Set(Array.from({ length: 40 }, (_, index) => rankAgents(loads, `request-${String(index)}`)[0]));
    expect(firsts).toEqual(new Set([1, 2]));
  });

  it('keeps every candidate, and none twice', () => {
    const ranked = rankAgents([{ agentId: 7, bookedMinutes: 5 }, { agentId: 3, bookedMinutes: 5 }, { agentId: 9, bookedMinutes: 0 }], 'x');
    expect([...ranked].sort()).toEqual([3, 7, 9]);
    expect(ranked[0]).toBe(9);
  });
});
