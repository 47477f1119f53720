using SemanticManipulation.Tests.Checkpoints.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>
/// Mutated checkpoints of every format the SDK reads (bit flips, truncations, header lies, shape, dtype and offset
/// edits, hostile pickles) either load or are refused with a <see cref="SemanticManipulation.Checkpoints.CheckpointFormatException"/>
/// naming the file: no other exception type, no native crash, no hang. A failure prints the format, seed and case
/// index; <c>CheckpointMutator.Case(format, seed, index)</c> rebuilds that case alone.
/// </summary>
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20190728;

    public static TheoryData<string> Formats => new(Enum.GetNames<FuzzFormat>());

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_hundred_mutated_checkpoints_each_load_or_are_refused_naming_the_file(string format) =>
        Fuzz(format, cases: 100, TimeSpan.FromSeconds(20));

    [Theory]
    [Trait("Category", "Heavy")]
    [MemberData(nameof(Formats))]
    public void Ten_thousand_mutated_checkpoints_each_load_or_are_refused_naming_the_file(string format) =>
        Fuzz(format, cases: 10_000, TimeSpan.FromSeconds(60));

    private void Fuzz(string format, int cases, TimeSpan timeout)
    {
        var report = CheckpointFuzzer.Run(Enum.Parse<FuzzFormat>(format), Seed, cases, timeout);

        output.WriteLine(report.Table());
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(report.FailureCount == 0,
            $"{report.FailureCount} of {report.Cases} {format} cases failed; the first: {(report.Failures.Count > 0 ? report.Failures[0] : "")}");
    }
}
