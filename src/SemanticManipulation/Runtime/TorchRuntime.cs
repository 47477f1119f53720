using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Makes TorchSharp's native libraries load on the current host before any tensor is created.
/// </summary>
/// <remarks>
/// <para>On hosts whose <c>libstdc++</c> predates GCC 13 (Debian 12, Ubuntu 22.04) TorchSharp 0.107's
/// <c>libLibTorchSharp.so</c> fails to load because it requires <c>GLIBCXX_3.4.32</c> for a single symbol that
/// nothing calls. On such hosts this class writes a copy of the library whose requirement is flagged weak into a
/// per-user cache directory (never the NuGet cache or the application folder) and loads it, after libtorch, so that
/// TorchSharp binds to it unchanged. On every other host it does nothing.</para>
/// <para>On Linux it also makes glibc's allocator keep the memory libtorch frees for reuse, which halves an adaptation
/// step at 256² on the machines it is measured on (set <c>SEMANTIC_MANIPULATION_RETAIN_NATIVE_HEAP=0</c> to leave the
/// allocator alone; hosts that set glibc's <c>MALLOC_*_</c> or <c>GLIBC_TUNABLES</c> variables are left alone too).</para>
/// <para>It runs automatically when the SDK assembly is first used; call <see cref="EnsureInitialized"/> explicitly to
/// get the outcome logged or to surface a failure early.</para>
/// </remarks>
public static class TorchRuntime
{
    /// <summary>Environment variable that overrides the cache directory used for the patched library copy.</summary>
    public const string CacheDirectoryVariable = "SEMANTIC_MANIPULATION_NATIVE_CACHE";

    /// <summary>Environment variable that, set to <c>0</c> or <c>false</c> before the SDK is first used, leaves glibc's
    /// allocator at its defaults (freed blocks go back to the kernel; steps run up to twice as slow).</summary>
    public const string RetainNativeHeapVariable = NativeHeapRetention.OptOutVariable;

    private const string TorchSharpLibrary = "libLibTorchSharp.so";
    private static readonly string[] LibTorchPreloadOrder = ["libgomp*.so.1", "libc10.so", "libtorch_cpu.so", "libtorch.so"];
    private static readonly Lock Gate = new();
    private static TorchRuntimeStatus? _status;
    private static Exception? _failure;
    private static bool _logged;
    private static int _threads;

    [ThreadStatic]
    private static int _threadsOnThisThread;

    /// <summary>
    /// Sets how many threads each tensor operation may use (libtorch's intra-op thread pool), for every thread of the
    /// process that runs the SDK's tensor work: every model in the process shares it. libtorch's default is one per core;
    /// fewer leave cores to the host's own work.
    /// </summary>
    /// <remarks>libtorch keeps this count in OpenMP's per-thread state, so on its own it would reach only the thread that
    /// set it, and a host calling the SDK from other threads (a web request's, a worker's) would run on libtorch's default.
    /// The SDK's generators, encoders, segmenters and fitting loops apply the count on the thread that calls them.</remarks>
    /// <param name="threads">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void UseThreads(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads,
                $"The thread count must be at least 1 (this machine has {Environment.ProcessorCount} logical cores).");
        }

        EnsureInitialized();
        Volatile.Write(ref _threads, threads);
        ApplyThreads();
    }

    /// <summary>The count <see cref="UseThreads"/> set, or null for libtorch's default.</summary>
    public static int? Threads => Volatile.Read(ref _threads) is > 0 and var threads ? threads : null;

    /// <summary>Gives the calling thread's tensor operations the process's thread count (<see cref="UseThreads"/>), once
    /// per thread and count: cheap enough to call at the start of every forward.</summary>
    internal static void ApplyThreads()
    {
        var threads = Volatile.Read(ref _threads);
        if (threads > 0 && _threadsOnThisThread != threads)
        {
            TorchSharp.torch.set_num_threads(threads);
            _threadsOnThisThread = threads;
        }
    }

    /// <summary>What the initialization found and did, or null if it has not run yet.</summary>
    public static TorchRuntimeStatus? Status => _status;

    /// <summary>
    /// Ensures TorchSharp's native libraries can load on this host, applying the compatibility copy when needed.
    /// Safe to call any number of times from any thread; the work happens once.
    /// </summary>
    /// <param name="logger">Receives one message describing the outcome (the first time a logger is passed).</param>
    /// <returns>What was found and done.</returns>
    /// <exception cref="TorchRuntimeException">The native libraries cannot be made to load; the message says what is
    /// missing and what to do.</exception>
    public static TorchRuntimeStatus EnsureInitialized(ILogger? logger = null)
    {
        lock (Gate)
        {
            if (_status is null && _failure is null)
            {
                try
                {
                    _status = Initialize();
                }
                catch (TorchRuntimeException ex)
                {
                    _failure = ex;
                }
            }

            if (_failure is not null)
            {
                if (logger is not null)
                {
                    Log.NativeRuntimeFailed(logger, _failure);
                }

                throw new TorchRuntimeException(_failure.Message, _failure);
            }

            if (logger is not null && !_logged)
            {
                _logged = true;
                if (_status!.Patched)
                {
                    Log.NativeRuntimePatched(logger, _status.Description);
                }
                else
                {
                    Log.NativeRuntimeLoaded(logger, _status.Description);
                }
            }

            return _status!;
        }
    }

#pragma warning disable CA2255 // Module initializer in a library: the fix must precede any TorchSharp call the host makes.
    [ModuleInitializer]
    internal static void InitializeOnFirstUse()
    {
        lock (Gate)
        {
            if (_status is not null || _failure is not null)
            {
                return;
            }

            try
            {
                _status = Initialize();
            }
            catch (TorchRuntimeException ex)
            {
                // Surfaced by EnsureInitialized, which every SDK entry point calls; never throw from a module initializer.
                _failure = ex;
            }
        }
    }
#pragma warning restore CA2255

    private static TorchRuntimeStatus Initialize()
    {
        var heap = NativeHeapRetention.Apply();
        var status = LoadNativeLibraries();
        return status.LibraryPath is null
            ? status with { Description = $"{status.Description}; {heap}" }
            : status with { Description = $"{status.Description}; {NnpackSwitch.Disable()}; {heap}" };
    }

    private static TorchRuntimeStatus LoadNativeLibraries()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return new TorchRuntimeStatus(false, null, null, "no compatibility work needed on this platform");
        }

        var directories = NativeSearchDirectories().ToList();
        var torchSharpPath = FindFirst(directories, TorchSharpLibrary);
        if (torchSharpPath is null)
        {
            throw new TorchRuntimeException(
                $"TorchSharp's native library {TorchSharpLibrary} was not found (searched: {string.Join(", ", directories)}). " +
                "Add a package reference to TorchSharp-cpu (or a TorchSharp CUDA package) to the application project.");
        }

        var libTorchDirectory = PreloadLibTorch(directories);
        if (libTorchDirectory is null)
        {
            throw new TorchRuntimeException(
                $"libtorch's native libraries (libtorch.so) were not found (searched: {string.Join(", ", directories)}). " +
                "Add a package reference to TorchSharp-cpu (which brings libtorch-cpu) to the application project.");
        }

        string loadError;
        try
        {
            NativeLibrary.Load(torchSharpPath);
            return new TorchRuntimeStatus(false, torchSharpPath, null, $"loaded {torchSharpPath} unchanged");
        }
        catch (DllNotFoundException ex)
        {
            loadError = ex.Message;
        }

        var missingVersion = ElfVersionNeedPatcher.SafeToWeaken.Keys.FirstOrDefault(v => loadError.Contains(v, StringComparison.Ordinal));
        if (missingVersion is null)
        {
            throw new TorchRuntimeException(
                $"TorchSharp's native library {torchSharpPath} failed to load: {loadError}");
        }

        var patchedPath = WritePatchedCopy(torchSharpPath, missingVersion);
        try
        {
            NativeLibrary.Load(patchedPath);
        }
        catch (DllNotFoundException ex)
        {
            throw new TorchRuntimeException(
                $"The host's libstdc++ lacks {missingVersion}, and the compatibility copy {patchedPath} still failed to load: " +
                $"{ex.Message}. Install a newer libstdc++ (GCC 13 or later, e.g. Debian 13 / Ubuntu 24.04).", ex);
        }

        return new TorchRuntimeStatus(true, patchedPath, missingVersion,
            $"host libstdc++ lacks {missingVersion}; loaded a copy of {torchSharpPath} with that requirement marked weak " +
            $"from {patchedPath} (the only symbol of that version, std::ios_base_library_init, is never referenced)");
    }

    private static IEnumerable<string> NativeSearchDirectories()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var baseDirectory = AppContext.BaseDirectory;
        var candidates = new List<string>
        {
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native"),
            baseDirectory,
        };

        // Framework-dependent apps run from the NuGet cache resolve native assets through these directories.
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            candidates.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        var torchSharpAssembly = typeof(TorchSharp.torch).Assembly.Location;
        if (!string.IsNullOrEmpty(torchSharpAssembly))
        {
            var packageRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(torchSharpAssembly)));
            if (packageRoot is not null)
            {
                candidates.Add(Path.Combine(packageRoot, "runtimes", "linux-x64", "native"));
            }
        }

        foreach (var candidate in candidates)
        {
            var full = Path.GetFullPath(candidate);
            if (Directory.Exists(full) && seen.Add(full))
            {
                yield return full;
            }
        }
    }

    private static string? FindFirst(IEnumerable<string> directories, string pattern) =>
        directories.SelectMany(d => Directory.EnumerateFiles(d, pattern)).FirstOrDefault();

    private static string? PreloadLibTorch(IReadOnlyList<string> directories)
    {
        var libTorch = FindFirst(directories, "libtorch.so");
        if (libTorch is null)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(libTorch)!;
        foreach (var pattern in LibTorchPreloadOrder)
        {
            foreach (var file in Directory.EnumerateFiles(directory, pattern))
            {
                NativeLibrary.Load(file);
            }
        }

        return directory;
    }

    private static string WritePatchedCopy(string original, string version)
    {
        var image = File.ReadAllBytes(original);
        var hash = Convert.ToHexString(SHA256.HashData(image))[..16].ToLowerInvariant();
        var directory = Path.Combine(CacheRoot(), "native", hash);
        var target = Path.Combine(directory, TorchSharpLibrary);
        if (File.Exists(target))
        {
            return target;
        }

        try
        {
            if (!ElfVersionNeedPatcher.WeakenVersionNeed(image, version))
            {
                throw new TorchRuntimeException($"{original} does not require {version}; cannot apply the compatibility fix.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new TorchRuntimeException($"Cannot apply the compatibility fix to {original}: {ex.Message}", ex);
        }

        try
        {
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, $".{TorchSharpLibrary}.{Environment.ProcessId}.tmp");
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TorchRuntimeException(
                $"Cannot write the TorchSharp compatibility copy to {directory}: {ex.Message}. " +
                $"Set {CacheDirectoryVariable} to a writable directory.", ex);
        }

        return target;
    }

    private static string CacheRoot()
    {
        var configured = Environment.GetEnvironmentVariable(CacheDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        if (string.IsNullOrWhiteSpace(root) || root == ".cache")
        {
            root = Path.Combine(Path.GetTempPath(), $"semantic-manipulation-{Environment.UserName}");
        }

        return Path.Combine(root, "semantic-manipulation");
    }
}

/// <summary>Outcome of <see cref="TorchRuntime.EnsureInitialized"/>.</summary>
/// <param name="Patched">True when a compatibility copy of TorchSharp's native library was loaded.</param>
/// <param name="LibraryPath">The TorchSharp native library that was loaded, if any.</param>
/// <param name="WeakenedVersion">The symbol version that was marked weak, when patched.</param>
/// <param name="Description">A one-line human-readable account of what happened.</param>
public sealed record TorchRuntimeStatus(bool Patched, string? LibraryPath, string? WeakenedVersion, string Description);

/// <summary>TorchSharp's native libraries cannot be loaded on this host. The message says what is missing and what to do.</summary>
public sealed class TorchRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchRuntimeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TorchRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public TorchRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
