/**
 * One-at-a-time lanes. BigCommerce asks for some writes to a store never to overlap: inventory
 * adjustments ("wait for the 200 before sending the next request"; concurrent absolutes apply in
 * unpredictable order) and product channel assignments ("avoid parallel requests"). A lane runs
 * its tasks in the order they were queued; a failed task does not block the ones behind it.
 */

export interface SerialLane {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createSerialLane(): SerialLane {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(() => task());
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

const lanes = new Map<string, SerialLane>();

/** The process-wide lane `name` of a store, shared by every client talking to that store. */
export function laneFor(storeHash: string, name: string): SerialLane {
  const key = `${storeHash}\u0000${name}`;
  let lane = lanes.get(key);
  if (!lane) {
    lane = createSerialLane();
    lanes.set(key, lane);
  }
  return lane;
}
