using SemanticManipulation.Checkpoints;
using SemanticManipulation.Generators;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>
/// Runs mutated checkpoints through the SDK's loaders and classifies how each case ends: a load or a
/// <see cref="CheckpointFormatException"/> with a one-line message naming the file are the only acceptable outcomes,
/// and a hostile pickle must be refused naming its global.
/// </summary>
/// <remarks>Before each case its description is written to <c>semantic-manipulation-fuzz/&lt;format&gt;-&lt;process&gt;.current</c>
/// in the temporary folder, so that a crash of the whole process (native code) still leaves the case to replay; the
/// file is deleted when the run ends. The bytes of failing cases are saved there too.</remarks>
internal static class CheckpointFuzzer
{
    public static string ReplayDirectory { get; } = Path.Combine(Path.GetTempPath(), "semantic-manipulation-fuzz");

    public static FuzzReport Run(FuzzFormat format, int seed, int cases, TimeSpan timeout)
    {
        Directory.CreateDirectory(ReplayDirectory);
        var marker = Path.Combine(ReplayDirectory, $"{format}-{Environment.ProcessId}.current");
        var report = new FuzzReport(format, seed);
        using var temp = new TemporaryDirectory();
        for (var index = 0; index < cases; index++)
        {
            var fuzzCase = CheckpointMutator.Case(format, seed, index);
            File.WriteAllText(marker, fuzzCase.ToString());
            var (outcome, detail) = RunCase(fuzzCase, temp, timeout);
            string? savedAs = null;
            if (outcome is not (FuzzOutcome.Loaded or FuzzOutcome.Refused))
            {
                savedAs = Path.Combine(ReplayDirectory, $"{format}-{seed}-{index}{Path.GetExtension(DisplayName(fuzzCase))}");
                File.WriteAllBytes(savedAs, fuzzCase.Mutation.Bytes);
            }

            report.Add(fuzzCase, outcome, detail, savedAs);

            // A hung case keeps its thread busy; further cases would only measure that.
            if (outcome == FuzzOutcome.Hang)
            {
                break;
            }
        }

        File.Delete(marker);
        return report;
    }

    /// <summary>Loads one case on a worker thread and classifies the result.</summary>
    public static (FuzzOutcome Outcome, string? Detail) RunCase(FuzzCase fuzzCase, TemporaryDirectory temp, TimeSpan timeout)
    {
        var name = DisplayName(fuzzCase);
        var run = Task.Run(() =>
        {
            try
            {
                Load(fuzzCase, temp, name);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        });
        if (!run.Wait(timeout))
        {
            return (FuzzOutcome.Hang, $"still running after {timeout.TotalSeconds} s");
        }

        var required = fuzzCase.Mutation.MustBeRefusedNaming;
        return run.Result switch
        {
            null when required is not null => (FuzzOutcome.HostileNotRefused, $"loaded although it calls {required}"),
            null => (FuzzOutcome.Loaded, null),
            CheckpointFormatException error when !(error.Message.StartsWith(name + " ", StringComparison.Ordinal) ||
                error.Message.StartsWith(name + ":", StringComparison.Ordinal)) || error.Message.Contains('\n', StringComparison.Ordinal) =>
                (FuzzOutcome.BadMessage, error.Message),
            CheckpointFormatException error when required is not null && !error.Message.Contains(required, StringComparison.Ordinal) =>
                (FuzzOutcome.HostileNotRefused, $"refused without naming {required}: {error.Message}"),
            CheckpointFormatException error => (FuzzOutcome.Refused, error.Message),
            var other => (FuzzOutcome.UnexpectedException, $"{other.GetType().FullName}: {other.Message}\n{other.StackTrace}"),
        };
    }

    private static string DisplayName(FuzzCase fuzzCase) => fuzzCase.Format switch
    {
        FuzzFormat.SafeTensors => "fuzz.safetensors",
        FuzzFormat.Npy => "fuzz.npy",
        _ => "fuzz.pth",
    };

    private static void Load(FuzzCase fuzzCase, TemporaryDirectory temp, string name)
    {
        switch (fuzzCase.Sample.Loader)
        {
            case FuzzLoader.StateDict:
                using (var stream = new MemoryStream(fuzzCase.Mutation.Bytes))
                {
                    StateDictReader.Read(stream, name).Dispose();
                }

                break;
            case FuzzLoader.Generator:
                var generatorPath = temp.File(name);
                File.WriteAllBytes(generatorPath, fuzzCase.Mutation.Bytes);
                ProGanGenerator.Load(generatorPath).Dispose();
                break;
            default:
                var arrayPath = temp.File(name);
                File.WriteAllBytes(arrayPath, fuzzCase.Mutation.Bytes);
                NpyFile.Read(arrayPath).Dispose();
                break;
        }
    }
}
