import type { NoteInput, TaskInput, WriteInput } from "./crm-adapter.js";

// The canonical properties of a note and a task (`body`/`timestamp`/`owner_id`, `subject`/`body`/`due_at`/
// `priority`/`owner_id`/`status`). An adapter that stores notes and tasks as records under these keys (HubSpot)
// writes `createNote`/`createTask` as a create of them, and `runMany` sends many as one
// `batchCreate("note" | "task")`; both build the input here so the two paths cannot write different things.

/** The `create("note")` input that writes what `createNote(input)` writes. */
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

/** The `create("task")` input that writes what `createTask(input)` writes (a new task is `not_started`). */
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
