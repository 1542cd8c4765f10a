/** The one history numbering: ids in order, previousEventId within a frame, a child's first event after its parent's last. */
import { childLink, EventNumbering, linkEvent, startedAfter, type EventLink } from '../../lib/engine/event-numbering';

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

describe('startedAfter', () => {
  it('follows the last event the transition recorded before the children started', () => {
    expect(startedAfter({ firstEventId: 10, lastBefore: 5 }, 2)).toBe(11);
    expect(startedAfter({ firstEventId: 10, lastBefore: 5 }, 4)).toBe(13);
  });

  it('follows the frame’s last event before the transition when it recorded none first', () => {
    expect(startedAfter({ firstEventId: 10, lastBefore: 5 }, 0)).toBe(5);
    expect(startedAfter({ firstEventId: 1, lastBefore: undefined }, 0)).toBeUndefined();
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

  it('starts a child where its parent’s transition started it, not at the parent’s last event', () => {
    const n = new EventNumbering();
    n.next('root', undefined);
    const start = n.transitionStart('root', undefined);
    n.next('root', undefined);
    n.next('root', undefined);
    n.next('root', undefined);
    n.start('root/1.0.0', startedAfter(start, 1));
    n.start('root/1.0.1', startedAfter(start, 0));
    expect(start).toEqual({ firstEventId: 2, lastBefore: 1 });
    expect([n.next('root/1.0.0', 'root'), n.next('root/1.0.1', 'root')]).toEqual([
      { id: 5, previousEventId: 2 },
      { id: 6, previousEventId: 1 },
    ]);
  });

  it('keeps a started frame’s own link when it is started again (redriven)', () => {
    const n = new EventNumbering();
    n.next('root', undefined);
    n.next('root/1.0.0', 'root');
    n.next('root', undefined);
    n.start('root/1.0.0', 3);
    expect(n.next('root/1.0.0', 'root')).toEqual({ id: 4, previousEventId: 2 });
  });
});
