namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>The result of mutating a sample.</summary>
/// <param name="Bytes">The mutated file.</param>
/// <param name="Detail">What was changed, precisely enough to understand a failing case.</param>
/// <param name="MustBeRefusedNaming">For a hostile pickle: the global the refusal must name; a load is then a failure.</param>
internal sealed record Mutation(byte[] Bytes, string Detail, string? MustBeRefusedNaming = null);
