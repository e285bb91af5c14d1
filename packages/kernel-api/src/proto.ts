/**
 * The generated protobufjs static module (tools/gen-proto, from
 * proto/kame_kernel.proto), under the short name `v1`: `v1.Frame`,
 * `v1.Request.$Properties`, `v1.Errno`, ...
 */
import { kame } from '../gen/kame_kernel.js';

import v1 = kame.kernel.v1;
export { v1 };
