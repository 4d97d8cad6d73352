namespace Mailroom.Toolkit.Check;

/// <summary>What <c>mailroom check</c> validates.</summary>
internal sealed record CheckSettings
{
    public required string Host { get; init; }

    /// <summary>Services to probe (ports already overridden; skipped ones removed).</summary>
    public required IReadOnlyList<ServiceSpec> Services { get; init; }

    /// <summary>Recipient of the round-trip message (<c>--to</c>); null skips the round trip.</summary>
    public string? To { get; init; }

    public string? User { get; init; }

    /// <summary><c>--trace</c>: where every line of the check's exchanges is printed; null prints none.</summary>
    public CheckTrace? Trace { get; init; }

    public string? Password { get; init; }

    /// <summary>Outside address the relay attempts aim at; default a reserved .invalid domain (RFC 2606) so nothing can leave.</summary>
    public string RelayTo { get; init; } = "relay-test@mailroom-check.invalid";

    /// <summary>Envelope sender of relay attempts and the round trip.</summary>
    public string From { get; init; } = "mailroom-check@mailroom-check.invalid";

    /// <summary>Ports the exposure scan tries.</summary>
    public IReadOnlyList<int> ScanPorts { get; init; } = DefaultScanPorts;

    /// <summary>Mail, admin, database and cache ports commonly left exposed on mail hosts.</summary>
    public static IReadOnlyList<int> DefaultScanPorts { get; } = [21, 22, 23, 25, 53, 80, 110, 111, 143, 443, 465, 587, 993, 995, 2525, 3306, 4190, 5432, 6379, 8080];

    /// <summary>Ports expected open besides the checked services' ports (<c>--expect-ports</c>).</summary>
    public IReadOnlyList<int> ExpectPorts { get; init; } = [];

    /// <summary>Skip the exposure scan entirely.</summary>
    public bool Scan { get; init; } = true;

    /// <summary>Skip the open-relay test.</summary>
    public bool Relay { get; init; } = true;

    /// <summary>
    /// Judge relaying as a stranger's test even from an address of this machine (<c>--untrusted-source</c>): for a server
    /// known not to trust it. Without it, relaying allowed from this machine is a WARN, since mail servers trust their
    /// own host by default (Mailroom's and Postfix's trusted networks hold loopback).
    /// </summary>
    public bool UntrustedSource { get; init; }

    /// <summary>Mail log to search for the round trip's queue id (<c>--log</c>).</summary>
    public string? LogFile { get; init; }

    /// <summary>Timeout of each connection step; default 10 s, generous for a server under load.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connect timeout of each scanned port; default 1 s: a filtered port must not stall the scan.</summary>
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the round trip waits for the message to arrive; default 30 s.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Certificate days left under which TLS is a WARN; default 14, the usual renewal margin.</summary>
    public int ExpiryWarningDays { get; init; } = 14;

    /// <summary>Name sent in EHLO.</summary>
    public string HeloName { get; init; } = "mailroom-check.invalid";
}
