using SemanticManipulation.Imaging;
using SemanticManipulation.Tests.Imaging.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace SemanticManipulation.Tests.Imaging;

/// <summary>
/// Mutated images of every format ImageSharp writes either load or are refused with an
/// <see cref="UnsupportedImageException"/>: no other exception type, no crash, no hang. A failure names the format,
/// seed and case; <c>ImageMutator.Case(format, seed, index)</c> rebuilds its bytes.
/// </summary>
public sealed class ImageFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20191105;

    public static TheoryData<string> Formats => new(ImageMutator.Formats);

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_images_each_load_or_are_refused_with_one_clear_error(string format) => Fuzz(format, 60);

    [Theory]
    [Trait("Category", "Heavy")]
    [MemberData(nameof(Formats))]
    public void Ten_thousand_mutated_images_each_load_or_are_refused_with_one_clear_error(string format) => Fuzz(format, 10_000);

    private void Fuzz(string format, int cases)
    {
        var options = new ImageLoadOptions { MaxPixels = 4_000_000, MaxSide = 4096 };
        int loaded = 0, refused = 0;
        var failures = new List<string>();
        for (var index = 0; index < cases; index++)
        {
            var (bytes, mutation) = ImageMutator.Case(format, Seed, index);
            var attempt = Task.Run(() =>
            {
                using var stream = new MemoryStream(bytes);
                using var image = ImageTensor.Load(stream, 32, options);
            });
            try
            {
                if (!attempt.Wait(TimeSpan.FromSeconds(30)))
                {
                    failures.Add($"{format} case {index} ({mutation}): no answer within 30 s");
                    continue;
                }

                loaded++;
            }
            catch (AggregateException ex) when (ex.InnerException is UnsupportedImageException refusal)
            {
                refused++;
                if (refusal.Message.Contains('\n', StringComparison.Ordinal))
                {
                    failures.Add($"{format} case {index} ({mutation}): a refusal of more than one line: {refusal.Message}");
                }
            }
            catch (AggregateException ex)
            {
                var error = ex.InnerException!;
                failures.Add($"{format} case {index} ({mutation}): {error.GetType().Name}: {error.Message} at {error.StackTrace?.Split('\n')[0].Trim()}");
            }
        }

        output.WriteLine($"{format}: {cases} cases, {loaded} loaded, {refused} refused, {failures.Count} failures");
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} {format} cases failed; the first: {failures.FirstOrDefault()}");
    }
}
