// The neutral request items (lib/shared/workload/items.ts): what each request
// asks for, independent of the target API; re-exported for this folder's modules.
export type { ImageItem, LlmItem, Message, WorkloadItem } from '../../shared/workload/items.ts';
