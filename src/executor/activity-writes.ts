import type { NoteInput, TaskInput, WriteInput } from "../adapter/index.js";

// Notes and tasks reach an adapter through `createNote`/`createTask`, which translate them to the canonical note and
// task properties themselves. `runMany` sends many of them as one `batchCreate("note" | "task")`, so it has to
// spell the same properties the adapters' own `createNote`/`createTask` write (see the fake CRM and the HubSpot
// mapping: `body`/`timestamp`/`owner_id`, `subject`/`body`/`due_at`/`priority`/`owner_id`/`status`).

/** The `batchCreate("note")` input that writes what `createNote(input)` writes. */
export function noteWrite(input: NoteInput): WriteInput {
  return {
    properties: {
      body: input.body,
      timestamp: input.timestamp,
      ...(input.ownerId === undefined ? {} : { owner_id: input.ownerId }),
    },
    associations: input.associations,
  };
}

/** The `batchCreate("task")` input that writes what `createTask(input)` writes (a new task is `not_started`). */
export function taskWrite(input: TaskInput): WriteInput {
  return {
    properties: {
      subject: input.subject,
      due_at: input.dueAt,
      status: "not_started",
      ...(input.body === undefined ? {} : { body: input.body }),
      ...(input.ownerId === undefined ? {} : { owner_id: input.ownerId }),
      ...(input.priority === undefined ? {} : { priority: input.priority }),
    },
    associations: input.associations,
  };
}
