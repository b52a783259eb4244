using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GovFlow.Activities.Matters;
using Microsoft.Data.Sqlite;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace GovFlow.LoadDriver;

/// <summary>
/// A year of cases in a host's SQLite database, and the staff search timed over them. The seeded rows are what the
/// host writes: applicant columns and case file under its SM4 key, blind indexes under its blind-index key. Case <c>i</c>'s number and its
/// applicant are a function of <c>i</c>, so the search asks for cases that exist without reading the database.
/// </summary>
internal static class CaseSearchLoad
{
    private static readonly (string Code, string Name, string Department)[] Matters =
    [
        ("44030505001", "高龄津贴申请", "深圳市南山区民政局"),
        ("44030520007", "居家养老服务补贴申请", "深圳市南山区民政局"),
        ("44030531002", "个体工商户设立登记", "深圳市南山区市场监督管理局"),
        ("44030541003", "居住证签注", "深圳市公安局南山分局"),
        ("44030562004", "公共文化场馆活动备案", "深圳市南山区文化广电旅游体育局"),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "国强"];
    private static readonly DateOnly FirstDay = new(2025, 1, 1);

    // Each applicant applies about twice in the year, as a hall's regulars do.
    private static int Applicants(int cases) => Math.Max(1, cases / 2);

    /// <summary>Case <paramref name="i"/>'s number: its day, its matter, and its place in the day (unique below 365 million cases).</summary>
    private static string CaseNumber(int i) => $"{FirstDay.AddDays(i % 365):yyyyMMdd}{Matters[i / 365 % Matters.Length].Code[^5..]}{i / 365:D6}";

    private static string IdNumber(int person) =>
        IdentityNumber.Complete($"440305{new DateOnly(1940, 1, 1).AddDays(person % 20_000):yyyyMMdd}{person / 20_000 % 1000:D3}");

    private static string Phone(int person) => $"13{person:D9}";

    /// <summary>Inserts <paramref name="count"/> cases into the database at <paramref name="db"/>, whose host has stopped.</summary>
    public static int Seed(string db, int count)
    {
        var keys = Keys.Read(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db))!, "personal-data-sm4.key"));
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        var clock = Stopwatch.StartNew();
        var applicants = Applicants(count);
        var firstMoment = new DateTimeOffset(FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        for (var done = 0; done < count;)
        {
            using var tx = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO cases (Id, CaseNumber, MatterCode, MatterName, Department, ApplicantName, ApplicantIdType, ApplicantIdNumber, ApplicantPhone, ApplicantAddress, " +
                                 "ApplicantIdIndex, ApplicantPhoneIndex, Channel, Hall, ReceivedAt, AcceptedAt, PromisedDue, StatutoryDue, CompletedAt, Status, WarningLevel, InstanceId, " +
                                 "BrokenCommitment, YellowFrom, CaseFileJson, Stamp, Priority, ParentCaseId) VALUES ($id, $no, $matter, $matterName, $dept, $name, '111', $idNumber, $phone, $address, " +
                                 "$idIndex, $phoneIndex, $channel, $hall, $received, $received, $promised, $statutory, $completed, $status, $light, $instance, 0, $yellow, $file, $stamp, $priority, NULL)";
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in new[] { "id", "no", "matter", "matterName", "dept", "name", "idNumber", "phone", "address", "idIndex", "phoneIndex", "channel", "hall", "received", "promised", "statutory", "completed", "status", "light", "instance", "yellow", "file", "stamp", "priority" })
                p[name] = insert.Parameters.Add("$" + name, SqliteType.Text);
            for (var n = 0; n < 50_000 && done < count; n++, done++)
            {
                var i = done;
                var person = (int)((long)i * 7919 % applicants);
                var matter = Matters[i / 365 % Matters.Length];
                var received = firstMoment.AddDays(i % 365).AddHours(9 + i % 8).AddMinutes(i % 60);
                var promised = received.AddDays(20);
                var open = i % 365 >= 335; // the last month's cases are still open
                var idNumber = IdNumber(person);
                var phone = Phone(person);
                var ms = (DateTimeOffset at) => (object)at.ToUnixTimeMilliseconds();
                p["id"].Value = Guid.CreateVersion7(received).ToString("N");
                p["no"].Value = CaseNumber(i);
                p["matter"].Value = matter.Code;
                p["matterName"].Value = matter.Name;
                p["dept"].Value = matter.Department;
                p["name"].Value = Surnames[person % Surnames.Length] + GivenNames[person / Surnames.Length % GivenNames.Length];
                p["idNumber"].Value = keys.Protect(idNumber);
                p["phone"].Value = keys.Protect(phone);
                p["address"].Value = keys.Protect($"广东省深圳市南山区南山大道{person % 3000 + 1}号");
                p["idIndex"].Value = keys.Index("id", idNumber.ToUpperInvariant());
                p["phoneIndex"].Value = keys.Index("phone", phone);
                p["channel"].Value = i % 3 == 0 ? "pc" : "window";
                p["hall"].Value = i % 3 == 0 ? DBNull.Value : "综合窗口";
                p["received"].Value = ms(received);
                p["promised"].Value = ms(promised);
                p["statutory"].Value = ms(received.AddDays(30));
                p["completed"].Value = open ? DBNull.Value : ms(received.AddDays(5 + i % 10));
                p["status"].Value = open ? (i % 2 == 0 ? "InReview" : "Accepted") : (i % 20 == 0 ? "Refused" : "Completed");
                p["light"].Value = "Green";
                p["instance"].Value = $"seed-{i:D9}";
                p["yellow"].Value = ms(promised.AddDays(-3));
                // The case file is stored encrypted as the host writes it; a clear one would be rewritten by the host's start.
                p["file"].Value = keys.Protect($"{{\"checklist\":[{{\"name\":\"申请书\",\"provided\":true}},{{\"name\":\"居民身份证\",\"provided\":true}}],\"steps\":[{{\"name\":\"受理\",\"result\":\"pass\",\"actor\":\"window01\"}},{{\"name\":\"审核\",\"result\":\"pass\",\"actor\":\"reviewer01\"}}],\"status\":\"{p["status"].Value}\"}}");
                p["stamp"].Value = "seed";
                // About one case in a hundred is a 绿色通道 case, listed first.
                p["priority"].Value = i % 100 == 0 ? "green" : DBNull.Value;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Console.WriteLine($"seeded {count} cases in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Times the staff search (as the hall's window clerk) by a whole case number, by a day's case numbers, by ID number and by phone.</summary>
    public static async Task<int> Search(Uri url, int requests, int count)
    {
        if (!url.IsLoopback) throw new ArgumentException("The load driver only targets this machine.");
        using var window = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = url };
        (await window.PostAsJsonAsync("/api/auth/login", new { userName = "window01", password = "govflow-demo" })).EnsureSuccessStatusCode();
        var random = new Random(18);
        var applicants = Applicants(count);
        var found = 0;
        async Task Ask(string query)
        {
            var page = await window.GetFromJsonAsync<JsonObject>("/api/cases?pageSize=20&" + query);
            if (page!["total"]!.GetValue<int>() > 0) Interlocked.Increment(ref found);
        }
        for (var i = 0; i < 20; i++) await Ask("q=" + CaseNumber(random.Next(count)));
        var ok = true;
        foreach (var (what, query) in new (string, Func<string>)[]
                 {
                     ("case number (whole)", () => "q=" + CaseNumber(random.Next(count))),
                     ("case number (a day's, first page)", () => "q=" + CaseNumber(random.Next(count))[..13]),
                     ("ID number", () => "idNumber=" + IdNumber(random.Next(applicants))),
                     ("phone", () => "phone=" + Phone(random.Next(applicants))),
                 })
        {
            found = 0;
            ok &= await Time($"search by {what}", requests, () => Ask(query()));
            Console.WriteLine($"  found cases for {found} of {requests}");
        }
        return ok ? 0 : 1;
    }

    private static async Task<bool> Time(string what, int count, Func<Task> action)
    {
        var latencies = new double[count];
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            try { await action(); }
            catch (HttpRequestException) { failures++; }
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(count - 1, (int)(q * count))];
        Console.WriteLine($"{what}: {count} requests; latency p50 {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms; failures {failures}");
        return failures == 0;
    }

    /// <summary>
    /// The host's personal-data keys as its demo key file holds them, used as the host uses them: SM4-GCM values
    /// (<c>sm4:VERSION:BASE64(nonce|ciphertext|tag)</c>) and HMAC-SM3 blind indexes of <c>kind:normalised</c>.
    /// </summary>
    private sealed class Keys(string version, byte[] sm4, byte[] blindIndex)
    {
        private readonly GcmBlockCipher _gcm = new(new SM4Engine());
        private readonly HMac _mac = Mac(blindIndex);

        public static Keys Read(string path)
        {
            var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => l.Split('=', 2)).ToDictionary(l => l[0].Trim(), l => l[1].Trim());
            var current = lines["current"];
            return new Keys(current, Convert.FromHexString(lines[current]), Convert.FromHexString(lines["blind-index"]));
        }

        private static HMac Mac(byte[] key)
        {
            var mac = new HMac(new SM3Digest());
            mac.Init(new KeyParameter(key));
            return mac;
        }

        public string Protect(string clear)
        {
            var nonce = RandomNumberGenerator.GetBytes(12);
            _gcm.Init(true, new AeadParameters(new KeyParameter(sm4), 128, nonce));
            var bytes = Encoding.UTF8.GetBytes(clear);
            var output = new byte[12 + _gcm.GetOutputSize(bytes.Length)];
            nonce.CopyTo(output, 0);
            var length = _gcm.ProcessBytes(bytes, 0, bytes.Length, output, 12);
            _gcm.DoFinal(output, 12 + length);
            return $"sm4:{version}:{Convert.ToBase64String(output)}";
        }

        public string Index(string kind, string normalised)
        {
            var input = Encoding.UTF8.GetBytes(kind + ":" + normalised);
            _mac.BlockUpdate(input, 0, input.Length);
            var output = new byte[_mac.GetMacSize()];
            _mac.DoFinal(output, 0);
            return Convert.ToHexString(output).ToLowerInvariant();
        }
    }
}
