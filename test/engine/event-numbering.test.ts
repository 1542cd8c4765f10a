/** The one history numbering: ids in order, previousEventId within a frame, a child's first event after its parent's last. */
import { childLink, EventNumbering, linkEvent, type EventLink } from '../../lib/engine/event-numbering';

describe('linkEvent', () => {
  it('links an event to its frame’s last one and moves the link to it', () => {
    const link: EventLink = { lastEvent: 3 };
    expect(linkEvent(link, 7)).toBe(3);
    expect(link.lastEvent).toBe(7);
  });

  it('links a frame’s first event, or one of no known frame, to the event before it', () => {
    const link: EventLink = { lastEvent: undefined };
    expect(linkEvent(link, 4)).toBe(3);
    expect(link.lastEvent).toBe(4);
    expect(linkEvent(undefined, 9)).toBe(8);
  });

  it('starts a child at its parent’s last event', () => {
    expect(childLink({ lastEvent: 5 })).toEqual({ lastEvent: 5 });
    expect(childLink(undefined)).toEqual({ lastEvent: undefined });
  });
});

describe('EventNumbering', () => {
  it('numbers interleaved frames as Step Functions links them', () => {
    const n = new EventNumbering();
    const numbered = [
      n.next('root', undefined),
      n.next('root', undefined),
      n.next('root/1.0.0', 'root'),
      n.next('root/1.0.1', 'root'),
      n.next('root/1.0.0', 'root'),
      n.next('root', undefined),
      n.next('root/1.0.1', 'root'),
    ];
    expect(numbered).toEqual([
      { id: 1, previousEventId: 0 },
      { id: 2, previousEventId: 1 },
      { id: 3, previousEventId: 2 },
      { id: 4, previousEventId: 2 },
      { id: 5, previousEventId: 3 },
      { id: 6, previousEventId: 2 },
      { id: 7, previousEventId: 4 },
    ]);
    expect(n.length).toBe(7);
  });

  it('starts a child whose parent recorded nothing after the event before it', () => {
    const n = new EventNumbering();
    n.next('other', undefined);
    expect(n.next('root/1.0.0', 'root')).toEqual({ id: 2, previousEventId: 1 });
  });
});
