using SemanticManipulation.Adaptation;

namespace SemanticManipulation.Studio;

/// <summary>
/// The studio's settings, bound from the <c>Studio</c> configuration section (<c>--port</c> and <c>--model</c> on the
/// command line map to <see cref="Port"/> and <see cref="Model"/>; any other as <c>--Studio:MaxSessions=4</c>).
/// </summary>
internal sealed class StudioOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Studio";

    /// <summary>The loopback port to listen on; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 5290;

    /// <summary>Listen on every interface instead of loopback only. Off by default: the studio has no authentication.</summary>
    public bool ListenOnAllInterfaces { get; set; }

    /// <summary>A model bundle folder (or its <c>bundle.json</c>) or a generator checkpoint; null for the embedded default.</summary>
    public string? Model { get; set; }

    /// <summary>A concept catalog for a bare generator checkpoint (a bundle brings its own).</summary>
    public string? Catalog { get; set; }

    /// <summary>The most sessions kept at once; the least recently used is evicted beyond it.</summary>
    public int MaxSessions { get; set; } = 16;

    /// <summary>The estimated tensor memory all sessions may hold together, in MiB; least recently used evicted beyond it.</summary>
    public int MaxCacheMegabytes { get; set; } = 1024;

    /// <summary>The largest accepted upload (photo or reference), in bytes.</summary>
    public int MaxUploadBytes { get; set; } = 16 << 20;

    /// <summary>The largest accepted width or height of an uploaded image, checked before it is decoded.</summary>
    public int MaxImageSide { get; set; } = 8192;

    /// <summary>The largest accepted pixel count of an uploaded image, checked before it is decoded (decompression bombs).</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Uploaded reference images a session keeps.</summary>
    public int MaxReferencesPerSession { get; set; } = 8;

    /// <summary>Inversion refinement steps when a photo is opened.</summary>
    public int InversionSteps { get; set; } = 500;

    /// <summary>Inversion steps of a restyle reference.</summary>
    public int ReferenceInversionSteps { get; set; } = 100;

    /// <summary>Most adaptation steps of the preview G', fitted once when a photo is opened (it stops sooner at
    /// <see cref="TargetKeptPsnrDb"/>).</summary>
    public int PreviewAdaptationSteps { get; set; } = 300;

    /// <summary>Most adaptation steps of a render (the paper: 1000; it stops sooner at <see cref="TargetKeptPsnrDb"/>).</summary>
    public int RenderAdaptationSteps { get; set; } = 1000;

    /// <summary>The kept-pixel PSNR, in dB, at which the preview fit and a render stop (the SDK's 40 by default,
    /// <see cref="AdaptationOptions.TargetKeptPsnrDb"/>); null runs every step.</summary>
    public double? TargetKeptPsnrDb { get; set; } = AdaptationOptions.DefaultTargetKeptPsnrDb;

    /// <summary>Seeds offered in the gallery of generated images.</summary>
    public IReadOnlyList<long> GallerySeeds { get; set; } = [1, 2, 3, 4, 5, 6];

    /// <summary>Refuses settings the studio cannot run with, naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        static void AtLeast(long value, long minimum, string name)
        {
            if (value < minimum)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Studio:{name} must be at least {minimum}.");
            }
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Studio:Port (--port) must be between 0 and 65535.");
        }

        AtLeast(MaxSessions, 1, nameof(MaxSessions));
        AtLeast(MaxCacheMegabytes, 1, nameof(MaxCacheMegabytes));
        AtLeast(MaxUploadBytes, 1024, nameof(MaxUploadBytes));
        AtLeast(MaxImageSide, 1, nameof(MaxImageSide));
        AtLeast(MaxImagePixels, 1, nameof(MaxImagePixels));
        AtLeast(MaxReferencesPerSession, 1, nameof(MaxReferencesPerSession));
        AtLeast(InversionSteps, 1, nameof(InversionSteps));
        AtLeast(ReferenceInversionSteps, 1, nameof(ReferenceInversionSteps));
        AtLeast(PreviewAdaptationSteps, 1, nameof(PreviewAdaptationSteps));
        AtLeast(RenderAdaptationSteps, 1, nameof(RenderAdaptationSteps));
        if (TargetKeptPsnrDb is double target && !(target > 0 && double.IsFinite(target)))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetKeptPsnrDb), TargetKeptPsnrDb, "Studio:TargetKeptPsnrDb must be a positive number of dB (or left empty to run every step).");
        }
    }
}
