using SemanticManipulation.Editing;
using SemanticManipulation.Studio.Api;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>
/// One browser tab's edit. Its photo, strokes and render are touched on the tensor worker only (so they need no lock);
/// the long job (open or render) that may be cancelled is tracked under a lock, because the cancel request arrives on
/// another thread.
/// </summary>
internal sealed class StudioSession
{
    private readonly Lock _jobLock = new();
    private CancellationTokenSource? _job;
    private string? _jobKind;
    private long _estimatedBytes;

    public StudioSession(string id) => Id = id;

    /// <summary>The session's id: 128 random bits as 32 hex digits; knowing it is what lets a tab act on the session.</summary>
    public string Id { get; }

    /// <summary>The opened photo; null until one is opened. Worker only.</summary>
    public OpenedPhoto? Photo { get; set; }

    /// <summary>The last render; null until one finishes. Worker only.</summary>
    public RenderedEdit? Render { get; set; }

    /// <summary>The preview of the current strokes, as PNG. Worker only.</summary>
    public byte[]? PreviewPng { get; set; }

    /// <summary>What the page shows of each stroke, by the SDK's stroke object. Worker only.</summary>
    public Dictionary<EditStroke, StrokeInfo> Strokes { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The next stroke id. Worker only.</summary>
    public int NextStrokeId { get; set; } = 1;

    /// <summary>Counts changes of the strokes (push, undo, redo, delete, reset, open). Worker only.</summary>
    public int StrokeVersion { get; set; }

    /// <summary>Uploaded reference images by id, encoded. Changed on the worker only (an endpoint reads its count early to
    /// refuse an upload before reading it; the worker checks again).</summary>
    public Dictionary<string, byte[]> References { get; } = new(StringComparer.Ordinal);

    /// <summary>How many photos the session has opened: the number of the one open now (0 before the first). Worker only.</summary>
    public int PhotoNumber { get; set; }

    /// <summary>Whether the session was evicted or deleted and its tensors released. Worker only.</summary>
    public bool Released { get; private set; }

    /// <summary>The session's estimated memory, as last measured on the worker.</summary>
    public long EstimatedBytes
    {
        get => Interlocked.Read(ref _estimatedBytes);
        set => Interlocked.Exchange(ref _estimatedBytes, value);
    }

    /// <summary>The long job running, <c>open</c> or <c>render</c>, or null.</summary>
    public string? Busy
    {
        get
        {
            lock (_jobLock)
            {
                return _jobKind;
            }
        }
    }

    /// <summary>Refuses a stroke change while a photo is being opened: it would land on the new photo, not the one it was
    /// painted on.</summary>
    /// <exception cref="StudioException">409 while an open runs.</exception>
    public void ThrowIfOpening()
    {
        if (Busy == "open")
        {
            throw StudioException.Conflict("A photo is being opened; paint on it once it is open (strokes made before would land on it).");
        }
    }

    /// <summary>Refuses a request that would start a long job while one runs, before its upload is read.</summary>
    /// <exception cref="StudioException">409 while a long job runs (<see cref="BeginJob"/> checks again).</exception>
    public void ThrowIfBusy()
    {
        if (Busy is string kind)
        {
            throw StudioException.Conflict($"This session is busy ({kind}); wait for it to finish or cancel it first.");
        }
    }

    /// <summary>Starts a cancellable long job.</summary>
    /// <param name="kind"><c>open</c> or <c>render</c>.</param>
    /// <param name="requestAborted">The request's own token: a closed tab cancels its job too.</param>
    /// <returns>The job's cancellation source; pass it to <see cref="EndJob"/>.</returns>
    /// <exception cref="StudioException">409: a long job is already running for this session.</exception>
    public CancellationTokenSource BeginJob(string kind, CancellationToken requestAborted)
    {
        lock (_jobLock)
        {
            if (_job is not null)
            {
                throw StudioException.Conflict($"This session is busy ({_jobKind}); wait for it to finish or cancel it first.");
            }

            _job = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            _jobKind = kind;
            return _job;
        }
    }

    /// <summary>Ends the job <see cref="BeginJob"/> started.</summary>
    public void EndJob(CancellationTokenSource job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_jobLock)
        {
            if (ReferenceEquals(_job, job))
            {
                _job = null;
                _jobKind = null;
            }
        }

        job.Dispose();
    }

    /// <summary>Cancels the running long job, if any.</summary>
    /// <returns>The kind of job cancelled, or null when none was running.</returns>
    public string? CancelJob()
    {
        lock (_jobLock)
        {
            if (_job is null)
            {
                return null;
            }

            _job.Cancel();
            return _jobKind;
        }
    }

    /// <summary>Throws when the session was released while a request for it waited in the queue.</summary>
    public void ThrowIfReleased()
    {
        if (Released)
        {
            throw SessionStore.Expired();
        }
    }

    /// <summary>Releases the render (its G' is stale once a new photo is opened). Worker only.</summary>
    public void DropRender()
    {
        Render?.Dispose();
        Render = null;
    }

    /// <summary>Releases everything the session holds. Worker only.</summary>
    public void Release()
    {
        Released = true;
        DropRender();
        Photo?.Dispose();
        Photo = null;
        PreviewPng = null;
        Strokes.Clear();
        References.Clear();
        EstimatedBytes = 0;
    }
}
