using System.Runtime.InteropServices;
using SemanticManipulation.Generators;
using SemanticManipulation.Optimization;
using SemanticManipulation.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Runtime;

/// <summary>The thread count is process-wide: these tests change it, so they run alone.</summary>
[CollectionDefinition(nameof(ThreadCountTests), DisableParallelization = true)]
public sealed class ThreadCountTestsRunAlone;

[Collection(nameof(ThreadCountTests))]
public sealed class ThreadCountTests
{
    // libtorch's OpenMP keeps the thread count per thread (its nthreads ICV): this reads the calling thread's, which is
    // what its next operation will use (torch.get_num_threads reports the last count set anywhere instead).
    private static readonly OmpGetMaxThreads ReadCount = Marshal.GetDelegateForFunctionPointer<OmpGetMaxThreads>(NativeLibrary.GetExport(
        NativeLibrary.Load(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"), "libgomp*.so.1").Single()),
        "omp_get_max_threads"));

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int OmpGetMaxThreads();

    [Fact]
    public void A_thread_count_set_on_one_thread_reaches_the_generator_and_fitting_work_of_others()
    {
        TorchRuntime.EnsureInitialized();
        var defaultCount = OnNewThread(() => ReadCount());
        // A count libtorch would never choose by itself here, so only the setting can explain it.
        var count = Environment.ProcessorCount + 1;
        TorchRuntime.UseThreads(count);
        try
        {
            Assert.Equal(count, TorchRuntime.Threads);
            Assert.Equal(defaultCount, OnNewThread(() => ReadCount())); // a thread that ran no SDK work yet keeps libtorch's default
            using var generator = ProGanGenerator.Create(new ProGanArchitecture(16, [16, 16, 8]), seed: 1);
            Assert.Equal(count, OnNewThread(() =>
            {
                using var z = randn(1, 16);
                using var image = generator.Generate(z);
                return ReadCount();
            }));
            Assert.Equal(count, OnNewThread(() =>
            {
                new FittingLoop<int>(new FittingOptions { Steps = 1 }, _ => 0).Run(CancellationToken.None);
                return ReadCount();
            }));
        }
        finally
        {
            // libtorch's own default again, for every thread the tests run on next.
            TorchRuntime.UseThreads(defaultCount);
        }
    }

    private static int OnNewThread(Func<int> work)
    {
        var result = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("The work on the new thread failed.", failure);
    }
}
