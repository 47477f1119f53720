namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>A valid file the fuzzer starts from.</summary>
/// <param name="Name">Where it comes from, for reports.</param>
/// <param name="Format">Its format.</param>
/// <param name="Loader">The entry point that reads it.</param>
/// <param name="Bytes">Its content; never modified (mutations copy it).</param>
internal sealed record FuzzSample(string Name, FuzzFormat Format, FuzzLoader Loader, byte[] Bytes);
