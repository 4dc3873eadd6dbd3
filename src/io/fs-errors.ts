/**
 * Node's file-system and stream errors that are the environment's doing, not a bug: a
 * missing or unwritable folder, a full disk, a loop of links. Each in words for a person;
 * the top-level runner turns them into exit code 2 with one line (never "This is a bug").
 */
const WORDS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "not permitted (is it owned by someone else?)",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "it already exists",
  ENOTEMPTY: "the folder is not empty",
  ELOOP: "a loop of symbolic links",
  ENAMETOOLONG: "the name is too long",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EROFS: "the file system is read-only",
  EIO: "an input/output error on the disk",
  EXDEV: "it is on another file system",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EBUSY: "it is in use",
  ETXTBSY: "it is in use",
  EINVAL: "the file system does not allow this (is it a special file system such as /proc?)",
  EFBIG: "the file is too large",
  EPIPE: "the output was closed",
  ENXIO: "no such device",
  ENODEV: "no such device",
};

const VERBS: Record<string, string> = {
  open: "open",
  read: "read",
  write: "write",
  mkdir: "create the folder",
  mkdtemp: "create a folder in",
  rename: "move",
  rmdir: "remove",
  rm: "remove",
  unlink: "remove",
  scandir: "list",
  stat: "find",
  lstat: "find",
  chmod: "set permissions on",
};

/** An environment error from Node (it has a known `code`), or undefined for anything else. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === "string" && code in WORDS;
}

/** One line for a person: "cannot create the folder /x/y: permission denied". */
export function fsProblem(error: unknown): string {
  if (!isFsError(error)) return error instanceof Error ? error.message : String(error);
  const words = WORDS[error.code as string] as string;
  const verb = VERBS[error.syscall ?? ""] ?? "use";
  return error.path ? `cannot ${verb} ${error.path}: ${words}` : words;
}

/** What went wrong, in words, without the path ("permission denied"). */
export function fsWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && WORDS[code]) || "it cannot be read";
}
