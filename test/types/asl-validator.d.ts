// asl-validator 4 ships no type declarations; this is the part of its API the infra tests use.
declare module 'asl-validator' {
  type Result = { isValid: boolean; errors: unknown[]; errorsText: (separator?: string) => string };
  export default function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): Result;
}
