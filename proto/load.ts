/**
 * Loads the nas.v1 contract at run time. The loader options live here and only here: the generated
 * types in proto/gen/ describe the objects the loader produces with exactly these options
 * (`npm run proto:gen` builds its flags from {@link LOADER_OPTIONS}; `npm run proto:check` re-verifies).
 */
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { packagePath } from '../runtime/package-path.ts';
import type { ProtoGrpcType } from './gen/trainer_service.ts';

/**
 * The folder the .proto imports resolve from (`nas/v1/...`): the package's proto/, which the
 * compiled JavaScript in dist/ reads too (the build copies no .proto files).
 */
export const PROTO_ROOT: string = packagePath('proto');

/** The entry files of the contract, relative to {@link PROTO_ROOT}; they import the rest. */
export const PROTO_FILES: readonly string[] = Object.freeze(['nas/v1/trainer_service.proto']);

/**
 * How protobuf messages become JavaScript objects: camelCase field names, 64-bit integers as numbers
 * (counts stay far below 2^53), enums as their names, absent scalars and lists as their defaults
 * (absent messages as null, absent `optional` fields as undefined), and each oneof's present field
 * named by a virtual field.
 */
export const LOADER_OPTIONS = Object.freeze({
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} satisfies Options);

let definition: PackageDefinition | undefined;
let nasV1: NasV1 | undefined;

/**
 * The package definition of the contract (with file descriptors, which server reflection serves),
 * parsed once per process: every client and server shares it and its compiled message codecs.
 */
export function loadTrainerPackageDefinition(): PackageDefinition {
  definition ??= loadSync([...PROTO_FILES], { ...LOADER_OPTIONS, includeDirs: [PROTO_ROOT] });
  return definition;
}

/** The `nas.v1` namespace: the TrainerService client constructor and its service definition. */
export type NasV1 = ProtoGrpcType['nas']['v1'];

/**
 * The contract as typed gRPC objects (clients and service definitions), made once per process: a
 * client constructor of its own per trainer would compile every message codec again.
 */
export function loadNasV1(): NasV1 {
  // The one cast between the dynamic loader and the generated types. It holds because both come
  // from the same .proto files and LOADER_OPTIONS, which `npm run proto:check` re-verifies.
  nasV1 ??= (loadPackageDefinition(loadTrainerPackageDefinition()) as unknown as ProtoGrpcType).nas
    .v1;
  return nasV1;
}
