/** Version of the record format; part of every record header. */
export const RECORD_FORMAT_VERSION = 1;

/**
 * The always-disclosed part of a record. It places the record in its subject's
 * hash chain: `seq` counts from 0 and `prev` is the commitment of record
 * `seq - 1` of the same subject (32 zero bytes for the first).
 */
export interface RecordHeader {
  v: typeof RECORD_FORMAT_VERSION;
  id: string;
  kind: string;
  subject: string;
  seq: number;
  prev: string;
  recordedAt: string;
}

/** A record with everything needed to prove any of its fields. */
export interface SealedRecord {
  header: RecordHeader;
  data: Record<string, unknown>;
  /** 32-byte random salt per field, hex. */
  salts: Record<string, string>;
  /** Commitment per field, hex. */
  fieldCommitments: Record<string, string>;
  /** The record commitment: the leaf value anchored on chain. */
  commitment: string;
}

/** Field that holds the descriptors (names, sizes, digests) of a record's files. */
export const FILES_FIELD = "$files";

/** A file attached to a record: kept content-addressed, its digest committed. */
export interface FileDescriptor {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

/** Names a caller may give to data fields; `$`-names are reserved for the platform. */
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
