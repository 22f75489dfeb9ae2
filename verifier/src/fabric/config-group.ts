// The channel config tree as plain data: groups, values and policies by name, decoded once from a config block.
import type { ProtoMessage } from './protobuf.js';

/** A common.Policy: its type (PolicyType) and the bytes of the policy of that type. */
export interface ConfigPolicy {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface ConfigGroup {
  readonly groups: ReadonlyMap<string, ConfigGroup>;
  /** Each ConfigValue's value bytes, by name (e.g. `MSP`). */
  readonly values: ReadonlyMap<string, Uint8Array>;
  /** Each ConfigPolicy's policy by name; undefined when the entry holds none. */
  readonly policies: ReadonlyMap<string, ConfigPolicy | undefined>;
}

function mapValues<T>(map: ReadonlyMap<string, ProtoMessage>, decode: (message: ProtoMessage) => T): Map<string, T> {
  return new Map([...map].map(([name, message]) => [name, decode(message)]));
}

/** A decoded common.ConfigGroup: groups 2, values 3 (ConfigValue: value 2), policies 4 (ConfigPolicy: policy 2, a Policy: type 1, value 2). */
export function decodeConfigGroup(group: ProtoMessage): ConfigGroup {
  return {
    groups: mapValues(group.messageMap(2), decodeConfigGroup),
    values: mapValues(group.messageMap(3), (value) => value.bytes(2)),
    policies: mapValues(group.messageMap(4), (entry) => {
      const policy = entry.message(2);
      return policy === undefined ? undefined : { type: policy.int32(1), value: policy.bytes(2) };
    }),
  };
}
