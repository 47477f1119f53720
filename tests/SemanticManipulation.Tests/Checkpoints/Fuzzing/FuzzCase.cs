namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>One fuzz case, fully determined by (format, seed, index) so that it can be replayed alone.</summary>
internal sealed record FuzzCase(FuzzFormat Format, int Seed, int Index, FuzzSample Sample, string Kind, Mutation Mutation)
{
    public override string ToString() =>
        $"{Format} seed {Seed} case {Index}: {Kind} of {Sample.Name} ({Mutation.Detail})";
}
