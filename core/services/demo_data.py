"""Demo data: the agencies and innovations of an East Java innovation exhibition.

This module seeds a realistic demo of Gelar modelled on the
*Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019*
held at Taman Blambangan, Banyuwangi. It lists 89 participating agencies
(provincial and regency/city government units, puskesmas and kecamatan, BUMD, universities
and a few private institutions, covering all 38 regencies and cities of East Java), each
showing two public-service innovations, plus a small panel of demo judges.

The agency names are real East Java institutions, and many innovation titles echo programmes
these agencies are known for, but the titles, summaries, launch years and CETTAR tags are
illustrative demo content: they are not the official exhibitor list of the 2019 event and
must not be presented as such.

The module is pure data (standard library only); seeding code maps ``DemoAgency`` to
``core.models.accounts.Organization`` and ``DemoInnovation`` to
``core.models.innovations.Innovation``. ``_check()`` runs at import time so a bad edit fails
loudly instead of seeding inconsistent data.
"""

from __future__ import annotations

from dataclasses import dataclass

EVENT_NAME = "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019"
EVENT_VENUE = "Taman Blambangan, Banyuwangi"

#: Innovation categories: stable key -> Indonesian ("id") and English ("en") labels.
CATEGORIES: dict[str, dict[str, str]] = {
    "administration": {"id": "Administrasi & Perizinan", "en": "Administration & Licensing"},
    "health": {"id": "Kesehatan", "en": "Health"},
    "education": {"id": "Pendidikan", "en": "Education"},
    "economy": {"id": "Ekonomi & UMKM", "en": "Economy & Small Business"},
    "infrastructure": {"id": "Infrastruktur", "en": "Infrastructure"},
    "environment": {"id": "Lingkungan Hidup", "en": "Environment"},
    "social_protection": {"id": "Perlindungan Sosial", "en": "Social Protection"},
    "governance": {"id": "Tata Kelola & Transparansi", "en": "Governance & Transparency"},
}

#: Allowed ``DemoAgency.kind`` values.
_KINDS = ("government", "bumd", "university", "private")
#: The CETTAR service values of East Java (same order as ``CETTAR_VALUES`` in the models).
_CETTAR = ("cepat", "efektif", "transparan", "tanggap", "responsif")


@dataclass(frozen=True, slots=True)
class DemoInnovation:
    """One public-service innovation as an agency presents it at the exhibition."""

    title: str
    summary: str
    category: str
    year_launched: int
    cettar: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoAgency:
    """A participating agency (``kind`` is one of ``_KINDS``) and its innovations."""

    name: str
    kind: str
    region: str
    innovations: tuple[DemoInnovation, ...]


def _inno(
    title: str, category: str, year: int, cettar: tuple[str, ...], summary: str
) -> DemoInnovation:
    """Build a ``DemoInnovation``; argument order keeps the long summary last."""
    return DemoInnovation(
        title=title, summary=summary, category=category, year_launched=year, cettar=cettar
    )


def _agency(name: str, kind: str, region: str, *innovations: DemoInnovation) -> DemoAgency:
    """Build a ``DemoAgency`` from its innovations."""
    return DemoAgency(name=name, kind=kind, region=region, innovations=innovations)


AGENCIES: tuple[DemoAgency, ...] = (
    # --- Perangkat daerah dan BUMD Provinsi Jawa Timur ---
    _agency(
        "Badan Pendapatan Daerah Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "e-Samsat Jatim: Perpanjangan Pajak Kendaraan Mandiri",
            "administration",
            2015,
            ("cepat", "efektif", "transparan"),
            (
                "Wajib pajak memperpanjang pajak kendaraan bermotor tahunan melalui ATM, internet "
                "banking, dan mesin layanan mandiri tanpa antre di kantor Samsat. Bukti bayar "
                "yang sah cukup ditukar dengan pengesahan STNK di gerai Samsat terdekat."
            ),
        ),
        _inno(
            "Samsat Corner di Pusat Perbelanjaan",
            "administration",
            2013,
            ("cepat", "tanggap"),
            (
                "Layanan pengesahan STNK dan pembayaran pajak kendaraan dibuka di mal dan pusat "
                "keramaian hingga malam hari, sehingga warga dapat membayar pajak di luar jam "
                "kerja."
            ),
        ),
    ),
    _agency(
        "RSUD dr. Soetomo",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "SIAP Poli: Antrean Rawat Jalan Daring",
            "health",
            2017,
            ("cepat", "efektif"),
            (
                "Pasien mendaftar poliklinik dan memilih jadwal dokter melalui aplikasi maupun "
                "SMS, sehingga waktu tunggu di loket pendaftaran jauh berkurang."
            ),
        ),
        _inno(
            "PPT Soetomo: Pusat Pelayanan Terpadu Korban Kekerasan",
            "social_protection",
            2014,
            ("tanggap", "responsif"),
            (
                "Perempuan dan anak korban kekerasan mendapat layanan medis, psikologis, dan "
                "pendampingan hukum dalam satu pintu yang buka 24 jam."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "SIJARI EMAS: Sistem Jejaring Rujukan Maternal dan Neonatal",
            "health",
            2016,
            ("cepat", "efektif", "tanggap"),
            (
                "Bidan, puskesmas, dan rumah sakit terhubung dalam satu sistem rujukan berbasis "
                "SMS dan web, sehingga ibu hamil dan bayi baru lahir dengan kegawatan segera "
                "mendapat tempat rujukan."
            ),
        ),
        _inno(
            "Jatim Bebas Pasung",
            "health",
            2014,
            ("tanggap", "responsif"),
            (
                "Tim kesehatan jiwa menjangkau penderita gangguan jiwa yang dipasung keluarganya, "
                "membebaskan mereka, dan memastikan pengobatan berkelanjutan di puskesmas."
            ),
        ),
    ),
    _agency(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "SiCantik Jatim: Perizinan Daring Terpadu",
            "administration",
            2018,
            ("cepat", "transparan"),
            (
                "Pemohon mengajukan dan memantau izin kewenangan provinsi secara daring, dari "
                "unggah berkas hingga tanda tangan elektronik, tanpa tatap muka dengan petugas."
            ),
        ),
        _inno(
            "Jemput Bola Investasi untuk UMKM",
            "economy",
            2016,
            ("efektif", "responsif"),
            (
                "Petugas perizinan mendatangi sentra UMKM di kabupaten/kota untuk membantu "
                "pengurusan izin usaha dan memberi konsultasi investasi di tempat."
            ),
        ),
    ),
    _agency(
        "Dinas Komunikasi dan Informatika Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "Jatim Open Data",
            "governance",
            2018,
            ("transparan",),
            (
                "Portal data terbuka yang menyajikan ribuan set data perangkat daerah dalam "
                "format yang dapat diunduh dan dimanfaatkan ulang oleh publik, peneliti, dan "
                "media."
            ),
        ),
        _inno(
            "Klinik Anti Hoaks Jatim",
            "governance",
            2019,
            ("cepat", "tanggap", "responsif"),
            (
                "Warga melaporkan informasi yang meragukan melalui WhatsApp dan media sosial, "
                "lalu tim verifikasi menerbitkan klarifikasi resmi dalam waktu singkat."
            ),
        ),
    ),
    _agency(
        "Badan Kepegawaian Daerah Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "SIMASN Jatim: Layanan Kepegawaian Tanpa Kertas",
            "governance",
            2017,
            ("cepat", "efektif"),
            (
                "Kenaikan pangkat, pensiun, dan mutasi ASN diproses secara elektronik sehingga "
                "pegawai di daerah tidak perlu mengantar berkas ke Surabaya."
            ),
        ),
        _inno(
            "e-Kinerja ASN Berbasis Aktivitas Harian",
            "governance",
            2016,
            ("efektif", "transparan"),
            (
                "Aktivitas harian ASN dicatat dan diverifikasi atasan secara daring sebagai dasar "
                "tunjangan kinerja, sehingga penilaian lebih objektif dan pelayanan lebih "
                "terukur."
            ),
        ),
    ),
    _agency(
        "Dinas Sosial Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "PKH Plus: Bantuan Lansia Keluarga Miskin",
            "social_protection",
            2019,
            ("tanggap", "responsif"),
            (
                "Keluarga penerima PKH yang merawat lansia berusia di atas 70 tahun memperoleh "
                "bantuan tunai tambahan dari APBD provinsi beserta pendampingan sosial."
            ),
        ),
        _inno(
            "Jalin Matra: Penanggulangan Feminisasi Kemiskinan",
            "social_protection",
            2014,
            ("efektif", "responsif"),
            (
                "Rumah tangga miskin yang dikepalai perempuan menerima bantuan modal usaha dan "
                "pendampingan agar mampu mandiri secara ekonomi."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Provinsi Jawa Timur",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "TisTas: Pendidikan Gratis Berkualitas SMA/SMK",
            "education",
            2019,
            ("transparan", "responsif"),
            (
                "Siswa SMA, SMK, dan SLB negeri dibebaskan dari SPP melalui bantuan penunjang "
                "biaya pendidikan, sementara sekolah swasta menerima subsidi per siswa."
            ),
        ),
        _inno(
            "SMK Mini: Kursus Keterampilan Siap Kerja",
            "education",
            2013,
            ("efektif", "responsif"),
            (
                "Lulusan SMP dan pemuda putus sekolah mengikuti pelatihan singkat berbasis "
                "kompetensi di SMK terdekat agar memiliki keterampilan siap kerja."
            ),
        ),
    ),
    _agency(
        "RSUD dr. Saiful Anwar",
        "government",
        "Provinsi Jawa Timur",
        _inno(
            "Sapa Pasien: Pengaduan dan Informasi Terpadu",
            "governance",
            2018,
            ("transparan", "tanggap", "responsif"),
            (
                "Pasien dan keluarga menyampaikan keluhan melalui WhatsApp, kotak saran digital, "
                "dan petugas keliling yang wajib menindaklanjutinya dalam 1x24 jam."
            ),
        ),
        _inno(
            "Rujuk Aman: Rujukan Terintegrasi Malang Raya",
            "health",
            2016,
            ("cepat", "efektif"),
            (
                "Puskesmas dan rumah sakit di Malang Raya memeriksa ketersediaan tempat tidur dan "
                "dokter spesialis sebelum merujuk, sehingga tidak ada pasien yang ditolak."
            ),
        ),
    ),
    _agency(
        "Bank Jatim",
        "bumd",
        "Provinsi Jawa Timur",
        _inno(
            "JConnect Mobile untuk Pajak dan Retribusi Daerah",
            "administration",
            2018,
            ("cepat", "transparan"),
            (
                "PBB-P2, BPHTB, dan retribusi daerah dapat dibayar melalui mobile banking, ATM, "
                "dan agen Bank Jatim, dengan setoran yang langsung tercatat di kas daerah."
            ),
        ),
        _inno(
            "Laku Pandai Bank Jatim: Agen Bank di Desa",
            "economy",
            2015,
            ("efektif", "responsif"),
            (
                "Warung dan toko di desa menjadi agen layanan keuangan tanpa kantor, sehingga "
                "warga dapat menabung, menarik uang, dan menerima bantuan sosial tanpa pergi ke "
                "kota."
            ),
        ),
    ),
    _agency(
        "Bank UMKM Jawa Timur",
        "bumd",
        "Provinsi Jawa Timur",
        _inno(
            "Kredit Bunga Ringan UMKM Jatim",
            "economy",
            2017,
            ("cepat", "responsif"),
            (
                "Pelaku usaha mikro memperoleh kredit berbunga rendah dengan subsidi bunga dari "
                "Pemerintah Provinsi dan proses persetujuan yang singkat."
            ),
        ),
        _inno(
            "Kas Keliling Pasar Tradisional",
            "economy",
            2014,
            ("efektif", "tanggap"),
            (
                "Mobil kas keliling mendatangi pasar tradisional untuk menerima setoran tabungan "
                "dan angsuran pedagang, sehingga mereka tidak perlu meninggalkan lapak."
            ),
        ),
    ),
    # --- Perguruan tinggi ---
    _agency(
        "Universitas Airlangga",
        "university",
        "Kota Surabaya",
        _inno(
            "Rumah Sakit Terapung Ksatria Airlangga",
            "health",
            2017,
            ("tanggap", "responsif"),
            (
                "Kapal rumah sakit berlayar ke pulau-pulau terpencil untuk memberikan layanan "
                "operasi, pemeriksaan, dan pengobatan gratis bagi warga kepulauan."
            ),
        ),
        _inno(
            "Pusat Bantuan Hukum Gratis Unair",
            "social_protection",
            2015,
            ("responsif",),
            (
                "Mahasiswa dan dosen Fakultas Hukum memberikan konsultasi serta pendampingan "
                "hukum gratis bagi warga kurang mampu."
            ),
        ),
    ),
    _agency(
        "Institut Teknologi Sepuluh Nopember",
        "university",
        "Kota Surabaya",
        _inno(
            "SIPEDAB: Sistem Peringatan Dini Banjir Berbasis Sensor",
            "infrastructure",
            2018,
            ("cepat", "tanggap"),
            (
                "Sensor ketinggian air di sungai dan saluran kota mengirimkan data secara real "
                "time dan memberi peringatan dini kepada warga serta BPBD."
            ),
        ),
        _inno(
            "Kampung Surya: Listrik Tenaga Surya untuk Pesisir",
            "environment",
            2016,
            ("efektif", "responsif"),
            (
                "Panel surya dan baterai rancangan mahasiswa dipasang di kampung nelayan yang "
                "belum terjangkau jaringan listrik PLN."
            ),
        ),
    ),
    _agency(
        "Universitas Brawijaya",
        "university",
        "Kota Malang",
        _inno(
            "Klinik Tani Brawijaya",
            "economy",
            2015,
            ("efektif", "responsif"),
            (
                "Petani berkonsultasi tentang hama, pupuk, dan pemasaran hasil panen dengan pakar "
                "melalui layanan daring maupun kunjungan lapangan."
            ),
        ),
        _inno(
            "SIDeTa: Sistem Informasi Desa Terpadu",
            "governance",
            2017,
            ("efektif", "transparan"),
            (
                "Perangkat desa mengelola data penduduk, anggaran, dan surat-menyurat dalam satu "
                "aplikasi sehingga informasi desa terbuka bagi warga."
            ),
        ),
    ),
    _agency(
        "Universitas Jember",
        "university",
        "Kabupaten Jember",
        _inno(
            "Kampus Peduli Kopi Rakyat",
            "economy",
            2016,
            ("efektif",),
            (
                "Petani kopi rakyat di lereng Argopuro dan Ijen didampingi mulai dari pascapanen "
                "hingga sertifikasi dan pemasaran kopi spesialti."
            ),
        ),
        _inno(
            "TAGIBA: Tanggap Gizi Balita Berbasis Posyandu",
            "health",
            2018,
            ("efektif", "tanggap"),
            (
                "Mahasiswa KKN dan kader posyandu memantau pertumbuhan balita dengan aplikasi "
                "sederhana dan memberi konseling gizi bagi keluarga dengan balita berisiko "
                "stunting."
            ),
        ),
    ),
    _agency(
        "Universitas Negeri Malang",
        "university",
        "Kota Malang",
        _inno(
            "Rumah Belajar Inklusif",
            "education",
            2017,
            ("responsif",),
            (
                "Pusat pendampingan belajar bagi anak berkebutuhan khusus sekaligus tempat "
                "pelatihan guru sekolah reguler agar mampu menyelenggarakan kelas inklusif."
            ),
        ),
        _inno(
            "GURUNDA: Guru Belajar Daring",
            "education",
            2019,
            ("cepat", "efektif"),
            (
                "Platform pelatihan daring bagi guru SD di daerah terpencil untuk meningkatkan "
                "kompetensi mengajar tanpa harus meninggalkan sekolah."
            ),
        ),
    ),
    _agency(
        "Politeknik Negeri Banyuwangi",
        "university",
        "Kabupaten Banyuwangi",
        _inno(
            "Teaching Factory Pengolahan Hasil Perikanan",
            "economy",
            2017,
            ("efektif",),
            (
                "Mahasiswa bersama nelayan Muncar mengolah ikan menjadi produk bernilai tambah "
                "dan membantu pemasarannya secara daring."
            ),
        ),
        _inno(
            "SIAPUS: Sistem Antrean Puskesmas Berbasis SMS",
            "health",
            2016,
            ("cepat", "efektif"),
            (
                "Aplikasi antrean karya mahasiswa memungkinkan pasien puskesmas mengambil nomor "
                "antrean lewat SMS dari rumah."
            ),
        ),
    ),
    _agency(
        "Universitas Trunojoyo Madura",
        "university",
        "Kabupaten Bangkalan",
        _inno(
            "GARAMA: Garam Rakyat Berkualitas",
            "economy",
            2015,
            ("efektif",),
            (
                "Teknologi geomembran dan pendampingan petambak meningkatkan kualitas serta harga "
                "jual garam rakyat di Madura."
            ),
        ),
        _inno(
            "Pojok Baca Desa Madura",
            "education",
            2018,
            ("responsif",),
            (
                "Mahasiswa mendirikan pojok baca dan kelas literasi di balai desa bagi anak-anak "
                "dan warga putus sekolah."
            ),
        ),
    ),
    # --- Swasta (rumah sakit, media, koperasi) ---
    _agency(
        "Rumah Sakit Islam Surabaya Jemursari",
        "private",
        "Kota Surabaya",
        _inno(
            "Home Care Lansia dan Pascarawat",
            "health",
            2016,
            ("tanggap", "responsif"),
            (
                "Perawat dan fisioterapis mengunjungi pasien lansia dan pascarawat inap di rumah, "
                "sehingga pemulihan berlangsung tanpa bolak-balik ke rumah sakit."
            ),
        ),
        _inno(
            "ANTAR OBAT: Obat Penyakit Kronis Diantar ke Rumah",
            "health",
            2018,
            ("cepat", "responsif"),
            (
                "Pasien penyakit kronis peserta JKN menerima obat rutin bulanan yang diantar ke "
                "rumah tanpa antre di apotek rumah sakit."
            ),
        ),
    ),
    _agency(
        "Jawa Pos Radar Banyuwangi",
        "private",
        "Kabupaten Banyuwangi",
        _inno(
            "Radar Cek Fakta Banyuwangi",
            "governance",
            2019,
            ("cepat", "transparan"),
            (
                "Redaksi bersama komunitas memverifikasi kabar yang viral di media sosial lokal "
                "dan menerbitkan hasil pemeriksaannya secara terbuka."
            ),
        ),
        _inno(
            "Koran Masuk Sekolah",
            "education",
            2014,
            ("efektif",),
            (
                "Program literasi yang mengajak siswa menulis berita sekolah dan menerbitkannya "
                "di halaman khusus pelajar."
            ),
        ),
    ),
    _agency(
        "Koperasi Setia Budi Wanita Jawa Timur",
        "private",
        "Kota Malang",
        _inno(
            "Tanggung Renteng Usaha Perempuan",
            "economy",
            2012,
            ("efektif", "transparan"),
            (
                "Kelompok ibu rumah tangga saling menanggung pinjaman modal usaha sehingga "
                "perempuan tanpa agunan tetap dapat mengakses kredit."
            ),
        ),
        _inno(
            "Sekolah Koperasi Perempuan",
            "education",
            2017,
            ("efektif",),
            (
                "Pelatihan pengelolaan keuangan keluarga dan kewirausahaan bagi anggota koperasi "
                "perempuan di kampung-kampung."
            ),
        ),
    ),
    # --- BUMD kabupaten/kota ---
    _agency(
        "PDAM Surya Sembada Kota Surabaya",
        "bumd",
        "Kota Surabaya",
        _inno(
            "Surya Sembada Mobile: Cek Tagihan dan Lapor Gangguan",
            "infrastructure",
            2017,
            ("cepat", "transparan", "tanggap"),
            (
                "Pelanggan memeriksa tagihan, melaporkan kebocoran, dan memantau penanganan "
                "gangguan air melalui aplikasi ponsel."
            ),
        ),
        _inno(
            "Zona Air Siap Minum",
            "infrastructure",
            2014,
            ("efektif",),
            (
                "Air PDAM di kawasan tertentu diolah hingga layak diminum langsung dari kran, "
                "dengan kran publik di taman dan sekolah."
            ),
        ),
    ),
    _agency(
        "Perumda Air Minum Delta Tirta Kabupaten Sidoarjo",
        "bumd",
        "Kabupaten Sidoarjo",
        _inno(
            "Pasang Baru Online dan Cicilan Ringan",
            "infrastructure",
            2018,
            ("cepat", "responsif"),
            (
                "Warga berpenghasilan rendah mendaftar sambungan baru secara daring dan membayar "
                "biaya pemasangan dengan cicilan."
            ),
        ),
        _inno(
            "Baca Meter Mandiri lewat Foto",
            "infrastructure",
            2019,
            ("efektif", "transparan"),
            (
                "Pelanggan mengirim foto angka meter air melalui aplikasi sehingga tagihan akurat "
                "dan keluhan salah catat berkurang."
            ),
        ),
    ),
    _agency(
        "Perumda Air Minum Tugu Tirta Kota Malang",
        "bumd",
        "Kota Malang",
        _inno(
            "Zona Air Minum Prima Tugu Tirta",
            "infrastructure",
            2015,
            ("efektif",),
            (
                "Air bersih dialirkan 24 jam dengan kualitas layak minum langsung di zona "
                "pelayanan yang terus diperluas."
            ),
        ),
        _inno(
            "Tugu Tirta Peduli: Sambungan Air untuk Warga Miskin",
            "social_protection",
            2017,
            ("responsif",),
            "Keluarga miskin memperoleh sambungan air bersih bersubsidi dan tarif khusus.",
        ),
    ),
    _agency(
        "PD Pasar Surya Kota Surabaya",
        "bumd",
        "Kota Surabaya",
        _inno(
            "e-Retribusi Pasar",
            "economy",
            2018,
            ("efektif", "transparan"),
            (
                "Pedagang membayar retribusi harian dengan kartu nontunai sehingga setiap "
                "pungutan tercatat dan bebas pungli."
            ),
        ),
        _inno(
            "Pasar Tradisional Ramah Anak dan Bersih",
            "infrastructure",
            2017,
            ("responsif",),
            (
                "Pasar direvitalisasi dengan ruang laktasi, area bermain anak, dan pengelolaan "
                "sampah terpilah."
            ),
        ),
    ),
    _agency(
        "PDAM Kabupaten Banyuwangi",
        "bumd",
        "Kabupaten Banyuwangi",
        _inno(
            "Air Bersih Desa Lereng Ijen",
            "infrastructure",
            2016,
            ("efektif", "responsif"),
            (
                "Jaringan perpipaan gravitasi dibangun bersama warga untuk mengalirkan air dari "
                "mata air lereng Ijen ke desa-desa rawan kekeringan."
            ),
        ),
        _inno(
            "BAWADES: Bayar Air di Warung Desa",
            "administration",
            2018,
            ("cepat",),
            (
                "Pelanggan membayar tagihan air di warung dan BUMDes yang menjadi loket "
                "pembayaran mitra, tanpa perlu ke kantor PDAM."
            ),
        ),
    ),
    # --- Kabupaten Banyuwangi (tuan rumah) ---
    _agency(
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Lahir Procot Pulang Bawa Akta",
            "administration",
            2015,
            ("cepat", "efektif"),
            (
                "Bayi yang lahir di rumah sakit, puskesmas, atau bidan desa langsung memperoleh "
                "akta kelahiran, kartu keluarga baru, dan Kartu Identitas Anak sebelum pulang."
            ),
        ),
        _inno(
            "Jemput Bola KTP-el Lansia dan Difabel",
            "administration",
            2017,
            ("tanggap", "responsif"),
            (
                "Petugas perekaman mendatangi rumah warga lansia, difabel, dan yang sedang sakit "
                "untuk merekam KTP elektronik."
            ),
        ),
    ),
    _agency(
        "Dinas Komunikasi, Informatika dan Persandian Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Smart Kampung",
            "governance",
            2016,
            ("cepat", "efektif", "transparan"),
            (
                "Setiap desa dilengkapi jaringan internet dan aplikasi layanan, sehingga warga "
                "dapat mengurus lebih dari seratus jenis surat dan perizinan langsung di kantor "
                "desa."
            ),
        ),
        _inno(
            "Banyuwangi Mall: Lapak Daring Produk UMKM",
            "economy",
            2016,
            ("efektif",),
            (
                "Lapak daring milik pemerintah daerah memasarkan produk UMKM lokal, dari kopi "
                "Osing hingga batik Gajah Oling, kepada pembeli di seluruh Indonesia."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Gardu Jentik: Gerakan Satu Rumah Satu Jumantik",
            "health",
            2017,
            ("efektif", "tanggap"),
            (
                "Setiap keluarga menunjuk satu anggota sebagai juru pemantau jentik yang "
                "memeriksa tempat penampungan air tiap minggu untuk menekan kasus demam berdarah."
            ),
        ),
        _inno(
            "Banyuwangi Tanggap Stunting",
            "health",
            2019,
            ("tanggap", "responsif"),
            (
                "Balita berisiko stunting dipantau melalui aplikasi, dan keluarganya menerima "
                "paket makanan bergizi serta kunjungan rutin kader dan bidan."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Siswa Asuh Sebaya",
            "education",
            2015,
            ("responsif",),
            (
                "Siswa yang mampu menyisihkan uang saku untuk membantu biaya transportasi, "
                "seragam, dan alat tulis teman sekolah dari keluarga kurang mampu."
            ),
        ),
        _inno(
            "Garda Ampuh: Gerakan Daerah Angkat Anak Muda Putus Sekolah",
            "education",
            2016,
            ("tanggap", "responsif"),
            (
                "Tim desa mendata anak putus sekolah lalu mengembalikan mereka ke sekolah formal "
                "atau program kesetaraan dengan dukungan biaya."
            ),
        ),
    ),
    _agency(
        "Dinas Sosial, Pemberdayaan Perempuan dan Keluarga Berencana Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Rantang Kasih",
            "social_protection",
            2017,
            ("tanggap", "responsif"),
            (
                "Lansia miskin yang hidup sebatang kara menerima kiriman makanan bergizi setiap "
                "hari yang dimasak oleh warung warga di sekitarnya."
            ),
        ),
        _inno(
            "Sekolah Perempuan Desa",
            "social_protection",
            2018,
            ("efektif", "responsif"),
            (
                "Perempuan desa belajar kepemimpinan, literasi keuangan, dan pencegahan kekerasan "
                "dalam rumah tangga bersama pendamping."
            ),
        ),
    ),
    _agency(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Mal Pelayanan Publik Banyuwangi",
            "administration",
            2017,
            ("cepat", "efektif", "transparan"),
            (
                "Lebih dari dua ratus layanan instansi daerah, instansi vertikal, BUMN, dan "
                "swasta tersedia di satu gedung yang buka hingga malam dan pada akhir pekan."
            ),
        ),
        _inno(
            "Izin Usaha Mikro Selesai di Desa",
            "administration",
            2018,
            ("cepat",),
            (
                "Pelaku usaha mikro mengurus izin usaha melalui kantor desa tanpa biaya dan "
                "menerimanya dalam hitungan hari."
            ),
        ),
    ),
    _agency(
        "RSUD Blambangan",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "One Day Care: Kemoterapi Satu Hari",
            "health",
            2018,
            ("cepat", "efektif"),
            (
                "Pasien kanker menjalani kemoterapi tanpa rawat inap sehingga biaya dan waktu "
                "tunggu berkurang."
            ),
        ),
        _inno(
            "PAPUDIN: Pasien Pulang Diantar",
            "social_protection",
            2016,
            ("responsif",),
            (
                "Pasien kurang mampu yang sudah dinyatakan sembuh diantar pulang dengan kendaraan "
                "rumah sakit ke desa asalnya."
            ),
        ),
    ),
    _agency(
        "Kecamatan Genteng",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "PATEN Keliling: Layanan Kecamatan Sampai Dusun",
            "administration",
            2016,
            ("cepat", "responsif"),
            (
                "Petugas pelayanan administrasi terpadu kecamatan berkeliling ke dusun setiap "
                "pekan untuk melayani surat keterangan, KTP, dan izin usaha."
            ),
        ),
        _inno(
            "Genteng Bersinar: Pasar Bebas Sampah Plastik",
            "environment",
            2018,
            ("efektif",),
            (
                "Pedagang dan pengunjung pasar menukar sampah plastik dengan kupon belanja, dan "
                "sampahnya diolah di bank sampah kecamatan."
            ),
        ),
    ),
    _agency(
        "Puskesmas Singojuruh",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "KIHAKA: Kelas Ibu Hamil Berbasis Kampung",
            "health",
            2015,
            ("efektif", "tanggap"),
            (
                "Ibu hamil di setiap dusun rutin belajar mengenali tanda bahaya kehamilan dan "
                "menyiapkan persalinan bersama bidan dan kader."
            ),
        ),
        _inno(
            "Posbindu Lansia Berjamaah",
            "health",
            2017,
            ("responsif",),
            (
                "Pemeriksaan tekanan darah dan gula darah lansia digelar usai pengajian di masjid "
                "dan musala untuk mendeteksi penyakit tidak menular sejak dini."
            ),
        ),
    ),
    _agency(
        "Dinas Lingkungan Hidup Kabupaten Banyuwangi",
        "government",
        "Kabupaten Banyuwangi",
        _inno(
            "Sedekah Oksigen",
            "environment",
            2016,
            ("efektif",),
            (
                "Warga yang mengurus layanan publik seperti izin atau akta menyumbangkan bibit "
                "pohon yang kemudian ditanam di lahan kritis dan ruang terbuka."
            ),
        ),
        _inno(
            "Bank Sampah Sekolah Banyuwangi Hijau",
            "environment",
            2017,
            ("efektif", "transparan"),
            (
                "Siswa menabung sampah terpilah di bank sampah sekolah, dan hasilnya dapat "
                "dipakai untuk memenuhi kebutuhan sekolah."
            ),
        ),
    ),
    # --- Kota Surabaya ---
    _agency(
        "Dinas Kesehatan Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "e-Health Surabaya",
            "health",
            2015,
            ("cepat", "efektif"),
            (
                "Warga mendaftar berobat di puskesmas dan rumah sakit daerah melalui aplikasi dan "
                "anjungan mandiri, dengan rekam medis yang terhubung antarfasilitas."
            ),
        ),
        _inno(
            "Kader Surabaya Hebat",
            "health",
            2018,
            ("tanggap", "responsif"),
            (
                "Kader di setiap RT memantau kesehatan keluarga, jentik nyamuk, ibu hamil, dan "
                "lansia, lalu melaporkannya melalui aplikasi."
            ),
        ),
    ),
    _agency(
        "Dinas Kependudukan dan Pencatatan Sipil Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "Klampid New Generation: Layanan Adminduk Daring",
            "administration",
            2019,
            ("cepat", "transparan"),
            (
                "Warga mengurus akta kelahiran, akta kematian, pindah datang, dan kartu keluarga "
                "secara daring dari rumah, lalu mencetak sendiri dokumennya di kertas HVS."
            ),
        ),
        _inno(
            "Anjungan Dukcapil Mandiri di Kelurahan",
            "administration",
            2019,
            ("cepat", "efektif"),
            (
                "Mesin layanan mandiri di kelurahan mencetak KTP elektronik, kartu keluarga, dan "
                "akta secara langsung."
            ),
        ),
    ),
    _agency(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "Surabaya Single Window",
            "administration",
            2013,
            ("cepat", "efektif", "transparan"),
            (
                "Seluruh permohonan izin bangunan dan usaha diajukan serta dipantau secara daring "
                "melalui satu portal yang terintegrasi antarperangkat daerah."
            ),
        ),
        _inno(
            "Klinik Investasi Surabaya",
            "economy",
            2017,
            ("responsif",),
            (
                "Calon investor dan pelaku usaha mendapatkan konsultasi tata ruang, perizinan, "
                "dan insentif daerah dalam satu sesi."
            ),
        ),
    ),
    _agency(
        "Dinas Komunikasi dan Informatika Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "Command Center 112 Surabaya",
            "infrastructure",
            2016,
            ("cepat", "tanggap"),
            (
                "Satu nomor darurat bebas pulsa menghubungkan warga dengan ambulans, pemadam "
                "kebakaran, dan petugas keamanan yang dipantau dari ruang kendali terpadu."
            ),
        ),
        _inno(
            "Broadband Learning Center",
            "education",
            2013,
            ("efektif",),
            (
                "Warga kampung belajar komputer dan internet secara gratis di pusat belajar yang "
                "tersebar di kelurahan dan balai RW."
            ),
        ),
    ),
    _agency(
        "Dinas Perhubungan Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "Suroboyo Bus: Bayar Pakai Botol Plastik",
            "environment",
            2018,
            ("efektif", "responsif"),
            (
                "Penumpang membayar tiket bus kota dengan menukar botol atau gelas plastik bekas "
                "yang kemudian didaur ulang."
            ),
        ),
        _inno(
            "Surabaya Intelligent Transport System",
            "infrastructure",
            2014,
            ("cepat", "efektif"),
            (
                "Lampu lalu lintas adaptif dan kamera pemantau mengatur arus kendaraan secara "
                "real time serta memberi informasi kemacetan kepada pengendara."
            ),
        ),
    ),
    _agency(
        "Dinas Kebersihan dan Ruang Terbuka Hijau Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "Rumah Kompos Kota",
            "environment",
            2012,
            ("efektif",),
            (
                "Sampah daun dan sisa sayur dari taman dan pasar diolah menjadi kompos di puluhan "
                "rumah kompos yang tersebar di seluruh kota."
            ),
        ),
        _inno(
            "Super Depo Sutorejo: Pemilahan Sampah Terpadu",
            "environment",
            2016,
            ("efektif",),
            (
                "Depo sampah dilengkapi mesin pemilah dan pencacah sehingga sampah kota sudah "
                "terpilah sebelum dikirim ke TPA."
            ),
        ),
    ),
    _agency(
        "Badan Perencanaan Pembangunan Kota Surabaya",
        "government",
        "Kota Surabaya",
        _inno(
            "e-Musrenbang Surabaya",
            "governance",
            2013,
            ("transparan",),
            (
                "Usulan pembangunan dari tingkat RT hingga kelurahan diinput dan dipantau secara "
                "daring, sehingga warga dapat melihat usulan mana yang didanai."
            ),
        ),
        _inno(
            "Pahlawan Ekonomi: Pemberdayaan Ibu Rumah Tangga",
            "economy",
            2012,
            ("efektif", "responsif"),
            (
                "Ibu rumah tangga dari keluarga prasejahtera dilatih membuat, mengemas, dan "
                "memasarkan produk secara daring hingga menjadi pelaku usaha mandiri."
            ),
        ),
    ),
    _agency(
        "RSUD dr. Mohamad Soewandhie",
        "government",
        "Kota Surabaya",
        _inno(
            "Poli Sore untuk Pekerja",
            "health",
            2017,
            ("responsif",),
            (
                "Poliklinik spesialis dibuka hingga malam hari agar pekerja dapat berobat tanpa "
                "meninggalkan pekerjaan."
            ),
        ),
        _inno(
            "SiPANDU: Sistem Informasi Pasien Terpadu",
            "health",
            2018,
            ("cepat", "transparan"),
            (
                "Keluarga dapat memantau ketersediaan kamar, antrean, dan status pasien melalui "
                "layar informasi dan aplikasi."
            ),
        ),
    ),
    # --- Kota dan Kabupaten Malang, Kota Batu ---
    _agency(
        "Dinas Komunikasi dan Informatika Kota Malang",
        "government",
        "Kota Malang",
        _inno(
            "Ngalam Command Center",
            "governance",
            2016,
            ("cepat", "tanggap"),
            (
                "Ruang kendali kota memantau CCTV, aduan warga, dan panggilan darurat sehingga "
                "laporan jalan rusak hingga banjir segera diteruskan ke dinas terkait."
            ),
        ),
        _inno(
            "Sambat Online: Aduan Warga Kota Malang",
            "governance",
            2013,
            ("transparan", "responsif"),
            (
                "Warga menyampaikan keluhan tentang layanan publik lewat SMS dan web, dan setiap "
                "aduan dijawab perangkat daerah secara terbuka."
            ),
        ),
    ),
    _agency(
        "Dinas Kependudukan dan Pencatatan Sipil Kota Malang",
        "government",
        "Kota Malang",
        _inno(
            "SINGO EDAN: Sistem Pelayanan Adminduk Online",
            "administration",
            2018,
            ("cepat", "transparan"),
            (
                "Warga mengajukan perubahan data kependudukan dan mencetak dokumen tanpa antre di "
                "kantor dinas."
            ),
        ),
        _inno(
            "Dukcapil Goes to Campus",
            "administration",
            2017,
            ("responsif",),
            (
                "Mahasiswa pendatang mendapatkan layanan surat pindah dan perekaman KTP "
                "elektronik langsung di kampus."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Malang",
        "government",
        "Kabupaten Malang",
        _inno(
            "Ambulans Desa Siaga",
            "health",
            2016,
            ("cepat", "tanggap"),
            (
                "Kendaraan milik warga didaftarkan sebagai ambulans desa yang siap mengantar ibu "
                "bersalin dan pasien gawat darurat ke fasilitas kesehatan."
            ),
        ),
        _inno(
            "Desa Stop Buang Air Besar Sembarangan",
            "environment",
            2014,
            ("efektif",),
            (
                "Pemicuan sanitasi total berbasis masyarakat membuat desa-desa bebas buang air "
                "besar sembarangan dengan jamban yang dibangun secara swadaya."
            ),
        ),
    ),
    _agency(
        "Kecamatan Kepanjen",
        "government",
        "Kabupaten Malang",
        _inno(
            "Kecamatan Buka Akhir Pekan",
            "administration",
            2018,
            ("responsif",),
            (
                "Layanan administrasi kecamatan tetap buka pada Sabtu dan Minggu bagi warga yang "
                "bekerja di luar kota."
            ),
        ),
        _inno(
            "Kepanjen Bebas Antre: Nomor Antrean via WhatsApp",
            "administration",
            2019,
            ("cepat", "efektif"),
            (
                "Warga mengambil nomor antrean layanan kecamatan melalui WhatsApp dan datang "
                "sesuai jadwal yang diberikan."
            ),
        ),
    ),
    _agency(
        "Dinas Pertanian Kota Batu",
        "government",
        "Kota Batu",
        _inno(
            "Sekolah Lapang Pertanian Organik",
            "environment",
            2014,
            ("efektif",),
            (
                "Petani apel dan sayur belajar bertani organik langsung di lahan percontohan, "
                "termasuk membuat pupuk dan pestisida nabati sendiri."
            ),
        ),
        _inno(
            "Klinik Tanaman Apel Keliling",
            "economy",
            2017,
            ("tanggap", "responsif"),
            (
                "Petugas klinik tanaman memeriksa kesehatan kebun apel warga dan memberikan "
                "rekomendasi penanganan hama secara gratis."
            ),
        ),
    ),
    # --- Sidoarjo, Gresik, Lamongan ---
    _agency(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sidoarjo",
        "government",
        "Kabupaten Sidoarjo",
        _inno(
            "SIPPADU: Sistem Informasi Perizinan Terpadu Sidoarjo",
            "administration",
            2016,
            ("cepat", "transparan"),
            (
                "Permohonan izin usaha dan bangunan diajukan secara daring, dan status berkas "
                "dapat dilacak pemohon setiap saat."
            ),
        ),
        _inno(
            "Izin Usaha Kuliner UMKM Satu Hari Jadi",
            "economy",
            2018,
            ("cepat",),
            (
                "Pelaku usaha kuliner rumahan memperoleh izin usaha dan sertifikat PIRT dalam "
                "satu hari melalui gerai khusus UMKM."
            ),
        ),
    ),
    _agency(
        "Badan Pelayanan Pajak Daerah Kabupaten Sidoarjo",
        "government",
        "Kabupaten Sidoarjo",
        _inno(
            "e-BPHTB Sidoarjo",
            "administration",
            2015,
            ("cepat", "transparan"),
            (
                "Notaris dan wajib pajak menghitung, membayar, dan memvalidasi BPHTB secara "
                "daring sehingga proses jual beli tanah lebih cepat."
            ),
        ),
        _inno(
            "Tapping Box Pajak Restoran dan Hotel",
            "governance",
            2017,
            ("efektif", "transparan"),
            (
                "Alat perekam transaksi dipasang di restoran dan hotel sehingga pajak daerah "
                "dihitung otomatis dan dapat diawasi bersama."
            ),
        ),
    ),
    _agency(
        "RSUD Ibnu Sina Kabupaten Gresik",
        "government",
        "Kabupaten Gresik",
        _inno(
            "Pojok ASI dan Klinik Laktasi",
            "health",
            2016,
            ("responsif",),
            (
                "Ibu menyusui mendapat konseling laktasi dan ruang menyusui yang nyaman, termasuk "
                "karyawati dari kawasan industri Gresik."
            ),
        ),
        _inno(
            "Telemedicine Pulau Bawean",
            "health",
            2018,
            ("cepat", "tanggap"),
            (
                "Dokter puskesmas di Pulau Bawean berkonsultasi dengan dokter spesialis rumah "
                "sakit melalui video untuk menentukan penanganan dan rujukan pasien."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Kabupaten Gresik",
        "government",
        "Kabupaten Gresik",
        _inno(
            "GEMA: Gerakan Membaca Lima Belas Menit",
            "education",
            2017,
            ("efektif",),
            (
                "Seluruh SD dan SMP menggelar kegiatan membaca lima belas menit sebelum pelajaran "
                "dan menyediakan pojok baca di setiap kelas."
            ),
        ),
        _inno(
            "SMP Terbuka Anak Nelayan",
            "education",
            2015,
            ("responsif",),
            (
                "Anak nelayan yang membantu orang tua melaut tetap dapat menamatkan SMP melalui "
                "kelas terbuka dengan jadwal yang fleksibel."
            ),
        ),
    ),
    _agency(
        "Dinas Perikanan Kabupaten Lamongan",
        "government",
        "Kabupaten Lamongan",
        _inno(
            "Mina Padi Lamongan",
            "economy",
            2014,
            ("efektif",),
            (
                "Petani membudidayakan ikan di sawah bersamaan dengan padi sehingga pendapatan "
                "bertambah dan penggunaan pestisida berkurang."
            ),
        ),
        _inno(
            "SIHARI: Sistem Informasi Harga Ikan",
            "economy",
            2017,
            ("cepat", "transparan"),
            (
                "Nelayan dan pembudidaya memantau harga ikan harian di pasar dan TPI melalui SMS "
                "dan aplikasi agar tidak dipermainkan tengkulak."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Lamongan",
        "government",
        "Kabupaten Lamongan",
        _inno(
            "KIHANIF: Kawal Ibu Hamil Sampai Nifas",
            "health",
            2016,
            ("tanggap", "responsif"),
            (
                "Setiap ibu hamil risiko tinggi didampingi kader dan bidan hingga masa nifas "
                "untuk mencegah kematian ibu dan bayi."
            ),
        ),
        _inno(
            "Lamongan Sehat Jiwa",
            "health",
            2018,
            ("responsif",),
            (
                "Puskesmas menyediakan konseling dan obat jiwa rutin serta kunjungan rumah bagi "
                "penderita gangguan jiwa."
            ),
        ),
    ),
    # --- Bojonegoro, Tuban, Jombang, Mojokerto ---
    _agency(
        "Dinas Komunikasi dan Informatika Kabupaten Bojonegoro",
        "government",
        "Kabupaten Bojonegoro",
        _inno(
            "Dialog Publik Jumat",
            "governance",
            2012,
            ("transparan", "responsif"),
            (
                "Bupati dan kepala dinas menjawab langsung pertanyaan dan keluhan warga setiap "
                "Jumat di pendopo; dialog disiarkan radio dan tindak lanjutnya diumumkan."
            ),
        ),
        _inno(
            "Bojonegoro Open Government: Keterbukaan Data Migas",
            "governance",
            2016,
            ("transparan",),
            (
                "Data produksi migas, dana bagi hasil, dan penggunaan anggaran daerah "
                "dipublikasikan daring agar warga dapat mengawasi pengelolaan sumber daya alam."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Kabupaten Bojonegoro",
        "government",
        "Kabupaten Bojonegoro",
        _inno(
            "Beasiswa Dana Abadi Migas",
            "education",
            2019,
            ("transparan", "responsif"),
            (
                "Sebagian pendapatan migas disisihkan menjadi dana abadi yang hasilnya membiayai "
                "beasiswa pendidikan tinggi bagi anak-anak Bojonegoro."
            ),
        ),
        _inno(
            "Guru Kunjung Dusun Hutan Jati",
            "education",
            2015,
            ("tanggap", "responsif"),
            (
                "Guru mendatangi anak-anak di dusun tengah hutan jati yang jauh dari sekolah "
                "untuk mengajar dan mencegah putus sekolah."
            ),
        ),
    ),
    _agency(
        "RSUD dr. R. Koesma Tuban",
        "government",
        "Kabupaten Tuban",
        _inno(
            "HENTI: Hemodialisis Tanpa Antre",
            "health",
            2017,
            ("cepat", "efektif"),
            (
                "Jadwal cuci darah pasien gagal ginjal diatur melalui sistem daring sehingga "
                "pasien tidak perlu menunggu berjam-jam."
            ),
        ),
        _inno(
            "Rumah Singgah Keluarga Pasien",
            "social_protection",
            2016,
            ("responsif",),
            (
                "Keluarga pasien dari desa yang jauh dapat menginap gratis di rumah singgah dekat "
                "rumah sakit selama mendampingi perawatan."
            ),
        ),
    ),
    _agency(
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Jombang",
        "government",
        "Kabupaten Jombang",
        _inno(
            "Santri Tertib Adminduk",
            "administration",
            2017,
            ("efektif", "responsif"),
            (
                "Petugas mendatangi pondok pesantren untuk merekam KTP elektronik dan menerbitkan "
                "akta bagi santri yang belum memiliki dokumen kependudukan."
            ),
        ),
        _inno(
            "Akta Kematian Langsung dari Desa",
            "administration",
            2018,
            ("cepat",),
            (
                "Kepala desa melaporkan kematian warga secara daring sehingga akta kematian "
                "terbit tanpa keluarga harus datang ke kantor dinas."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Mojokerto",
        "government",
        "Kabupaten Mojokerto",
        _inno(
            "Remaja Putri Bebas Anemia",
            "health",
            2018,
            ("efektif",),
            (
                "Remaja putri di SMP dan SMA mendapat tablet tambah darah mingguan dan edukasi "
                "gizi untuk mencegah anemia dan stunting pada generasi berikutnya."
            ),
        ),
        _inno(
            "Puskesmas Keliling Lereng Welirang",
            "health",
            2015,
            ("responsif",),
            (
                "Layanan kesehatan keliling menjangkau dusun di lereng gunung yang jauh dari "
                "puskesmas induk."
            ),
        ),
    ),
    _agency(
        "Badan Pendapatan Daerah Kota Mojokerto",
        "government",
        "Kota Mojokerto",
        _inno(
            "PILAR: PBB Lunas Lewat Warung",
            "administration",
            2017,
            ("cepat",),
            (
                "Warga membayar PBB di warung dan toko yang menjadi agen bank daerah tanpa perlu "
                "ke kantor kas daerah."
            ),
        ),
        _inno(
            "e-SPPT: Surat Pajak Digital",
            "administration",
            2019,
            ("cepat", "transparan"),
            (
                "SPPT PBB dikirim dalam bentuk digital melalui aplikasi dan surel, lengkap dengan "
                "kode pembayaran."
            ),
        ),
    ),
    # --- Pasuruan, Probolinggo, Lumajang ---
    _agency(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Pasuruan",
        "government",
        "Kabupaten Pasuruan",
        _inno(
            "Perizinan Kawasan Industri Satu Meja",
            "administration",
            2016,
            ("cepat", "efektif"),
            (
                "Investor di kawasan industri mengurus izin lokasi, lingkungan, dan bangunan di "
                "satu meja layanan khusus."
            ),
        ),
        _inno(
            "Pendampingan Sertifikat Halal UMKM",
            "economy",
            2019,
            ("responsif",),
            (
                "Pelaku UMKM makanan dan minuman dibantu mengurus sertifikasi halal dan izin edar "
                "secara kolektif tanpa biaya."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kota Pasuruan",
        "government",
        "Kota Pasuruan",
        _inno(
            "TOSS TB: Temukan Obati Sampai Sembuh",
            "health",
            2017,
            ("efektif", "tanggap"),
            (
                "Kader menyisir kampung untuk menemukan warga bergejala TBC, mengantarnya "
                "berobat, dan memastikan pengobatan tuntas."
            ),
        ),
        _inno(
            "Ambulans Hebat 24 Jam",
            "health",
            2018,
            ("cepat", "tanggap"),
            (
                "Layanan ambulans gratis dengan satu nomor telepon yang siap menjemput pasien "
                "gawat darurat dalam hitungan menit."
            ),
        ),
    ),
    _agency(
        "Kecamatan Sukapura",
        "government",
        "Kabupaten Probolinggo",
        _inno(
            "Layanan Adminduk Desa Tengger",
            "administration",
            2017,
            ("responsif",),
            (
                "Petugas kecamatan menggelar layanan dokumen kependudukan di desa-desa Tengger "
                "dengan jadwal yang disesuaikan kalender adat."
            ),
        ),
        _inno(
            "Bromo Bersih Sadar Wisata",
            "environment",
            2018,
            ("efektif",),
            (
                "Warga, pelaku wisata, dan pengelola taman nasional bersama-sama mengelola sampah "
                "wisatawan di kawasan Bromo."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kota Probolinggo",
        "government",
        "Kota Probolinggo",
        _inno(
            "Pusat Layanan Terpadu Anak Berkebutuhan Khusus",
            "social_protection",
            2017,
            ("responsif",),
            (
                "Anak berkebutuhan khusus mendapat terapi wicara, okupasi, dan fisioterapi gratis "
                "di satu pusat layanan."
            ),
        ),
        _inno(
            "Orang Tua Asuh Gizi Balita",
            "health",
            2019,
            ("tanggap", "responsif"),
            (
                "ASN dan pengusaha menjadi orang tua asuh bagi balita gizi kurang dengan "
                "menanggung makanan tambahan selama enam bulan."
            ),
        ),
    ),
    _agency(
        "Badan Penanggulangan Bencana Daerah Kabupaten Lumajang",
        "government",
        "Kabupaten Lumajang",
        _inno(
            "SIDILAN: Peringatan Dini Lahar Semeru",
            "environment",
            2017,
            ("cepat", "tanggap"),
            (
                "Sirene dan pesan berantai warga di sepanjang aliran sungai lereng Semeru memberi "
                "peringatan dini banjir lahar dingin."
            ),
        ),
        _inno(
            "Desa Tangguh Bencana Lumajang",
            "social_protection",
            2015,
            ("efektif", "tanggap"),
            (
                "Warga desa rawan bencana dilatih menyusun rencana kontinjensi, jalur evakuasi, "
                "dan tim siaga desa."
            ),
        ),
    ),
    # --- Tapal kuda: Jember, Bondowoso, Situbondo ---
    _agency(
        "Dinas Kesehatan Kabupaten Jember",
        "government",
        "Kabupaten Jember",
        _inno(
            "Berobat Cukup dengan KTP",
            "health",
            2019,
            ("cepat", "responsif"),
            (
                "Warga miskin yang belum memiliki kartu JKN tetap dilayani di puskesmas dan rumah "
                "sakit daerah cukup dengan menunjukkan KTP."
            ),
        ),
        _inno(
            "Rumah Tunggu Kelahiran",
            "health",
            2016,
            ("tanggap",),
            (
                "Ibu hamil dari desa terpencil menginap di rumah tunggu dekat puskesmas menjelang "
                "persalinan agar ditolong tenaga kesehatan."
            ),
        ),
    ),
    _agency(
        "Dinas Tanaman Pangan, Hortikultura dan Perkebunan Kabupaten Jember",
        "government",
        "Kabupaten Jember",
        _inno(
            "Sekolah Lapang Tembakau Berkelanjutan",
            "economy",
            2015,
            ("efektif",),
            (
                "Petani tembakau belajar budidaya ramah lingkungan dan pengelolaan pascapanen "
                "agar kualitas daun memenuhi standar ekspor."
            ),
        ),
        _inno(
            "Kartu Tani Jember",
            "economy",
            2018,
            ("efektif", "transparan"),
            (
                "Petani menebus pupuk bersubsidi sesuai kebutuhan lahannya menggunakan kartu "
                "nontunai sehingga penyaluran tepat sasaran."
            ),
        ),
    ),
    _agency(
        "Dinas Pertanian Kabupaten Bondowoso",
        "government",
        "Kabupaten Bondowoso",
        _inno(
            "Bondowoso Republik Kopi",
            "economy",
            2016,
            ("efektif",),
            (
                "Petani kopi di lereng Ijen dan Raung dibina dari budidaya hingga pemasaran kopi "
                "Arabika Java Ijen-Raung sebagai produk unggulan daerah."
            ),
        ),
        _inno(
            "PUPOD: Pupuk Organik Desa",
            "environment",
            2017,
            ("efektif",),
            (
                "Kotoran ternak diolah menjadi pupuk organik oleh kelompok tani sehingga "
                "ketergantungan pada pupuk kimia berkurang."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Situbondo",
        "government",
        "Kabupaten Situbondo",
        _inno(
            "ELIKSIR: Eliminasi Kusta Berbasis Desa",
            "health",
            2015,
            ("tanggap",),
            (
                "Kader desa dan petugas puskesmas memeriksa kulit warga dari rumah ke rumah untuk "
                "menemukan dan mengobati kusta sejak dini."
            ),
        ),
        _inno(
            "Posbindu di Tempat Pelelangan Ikan",
            "health",
            2018,
            ("responsif",),
            (
                "Pemeriksaan penyakit tidak menular digelar di TPI bagi nelayan yang jarang "
                "datang ke puskesmas."
            ),
        ),
    ),
    # --- Mataraman: Madiun, Magetan, Ngawi, Ponorogo, Pacitan ---
    _agency(
        "Dinas Sosial Kabupaten Madiun",
        "government",
        "Kabupaten Madiun",
        _inno(
            "Kartu Madiun Peduli",
            "social_protection",
            2018,
            ("efektif", "transparan"),
            (
                "Satu kartu terpadu bagi keluarga miskin untuk mengakses bantuan pendidikan, "
                "kesehatan, dan pangan dari pemerintah daerah."
            ),
        ),
        _inno(
            "RUTILAHU Gotong Royong",
            "social_protection",
            2016,
            ("responsif",),
            (
                "Rumah tidak layak huni milik warga miskin diperbaiki melalui dana daerah, CSR, "
                "dan kerja bakti warga."
            ),
        ),
    ),
    _agency(
        "Dinas Komunikasi dan Informatika Kota Madiun",
        "government",
        "Kota Madiun",
        _inno(
            "Wi-Fi Gratis di Setiap RT",
            "infrastructure",
            2019,
            ("responsif",),
            (
                "Setiap RT mendapatkan titik akses internet gratis untuk mendukung belajar anak "
                "dan usaha warga."
            ),
        ),
        _inno(
            "Lapor Pak Wali",
            "governance",
            2018,
            ("transparan", "tanggap"),
            (
                "Kanal aduan warga berbasis aplikasi dan media sosial yang ditindaklanjuti "
                "perangkat daerah dengan batas waktu yang terpantau."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Kota Madiun",
        "government",
        "Kota Madiun",
        _inno(
            "Seragam, Sepatu, dan Tas Gratis Siswa",
            "education",
            2019,
            ("responsif",),
            (
                "Seluruh siswa SD dan SMP di Kota Madiun menerima seragam, sepatu, dan tas "
                "sekolah gratis setiap tahun ajaran baru."
            ),
        ),
        _inno(
            "Sekolah Ramah Anak Madiun",
            "education",
            2016,
            ("efektif",),
            (
                "Sekolah menerapkan disiplin positif tanpa kekerasan, kantin sehat, dan forum "
                "siswa yang ikut menyusun aturan sekolah."
            ),
        ),
    ),
    _agency(
        "Dinas Perindustrian dan Perdagangan Kabupaten Magetan",
        "government",
        "Kabupaten Magetan",
        _inno(
            "Sentra Kulit Magetan Go Digital",
            "economy",
            2018,
            ("efektif",),
            (
                "Perajin di sentra kulit Magetan dilatih pemasaran daring dan difasilitasi "
                "etalase produk di lokapasar."
            ),
        ),
        _inno(
            "Tera Ulang Timbangan Pasar Gratis",
            "governance",
            2016,
            ("transparan",),
            (
                "Tera ulang timbangan gratis dan pos ukur ulang di pasar memastikan konsumen "
                "mendapatkan takaran yang jujur."
            ),
        ),
    ),
    _agency(
        "Dinas Pertanian Kabupaten Ngawi",
        "government",
        "Kabupaten Ngawi",
        _inno(
            "Padi Organik Ngawi",
            "environment",
            2017,
            ("efektif",),
            (
                "Kelompok tani beralih ke budidaya padi organik dengan pendampingan sertifikasi "
                "dan akses pasar beras premium."
            ),
        ),
        _inno(
            "Brigade Alsintan Kecamatan",
            "economy",
            2016,
            ("efektif", "tanggap"),
            (
                "Alat dan mesin pertanian dipinjamkan melalui brigade kecamatan sehingga petani "
                "kecil dapat mengolah lahan dan panen tepat waktu."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Ponorogo",
        "government",
        "Kabupaten Ponorogo",
        _inno(
            "Rumah Harapan Kesehatan Jiwa Berbasis Desa",
            "health",
            2015,
            ("responsif",),
            (
                "Desa mengembangkan rumah pemulihan dan terapi kerja bagi warga dengan "
                "disabilitas mental, didukung kunjungan rumah oleh puskesmas."
            ),
        ),
        _inno(
            "SI-BUMIL: Pemantauan Ibu Hamil Risiko Tinggi",
            "health",
            2018,
            ("cepat", "tanggap"),
            (
                "Data ibu hamil risiko tinggi dari bidan desa dipetakan dalam aplikasi sehingga "
                "puskesmas dan rumah sakit bersiap sebelum persalinan."
            ),
        ),
    ),
    _agency(
        "Badan Penanggulangan Bencana Daerah Kabupaten Pacitan",
        "government",
        "Kabupaten Pacitan",
        _inno(
            "Sekolah Siaga Tsunami",
            "education",
            2016,
            ("tanggap",),
            (
                "Siswa di sekolah pesisir berlatih evakuasi tsunami dan gempa secara berkala "
                "bersama BPBD dan relawan."
            ),
        ),
        _inno(
            "Lumbung Air Desa Rawan Kekeringan",
            "infrastructure",
            2015,
            ("tanggap", "responsif"),
            (
                "Penampungan air hujan dan distribusi air bersih terjadwal disediakan bagi dusun "
                "di kawasan karst yang kekeringan setiap kemarau."
            ),
        ),
    ),
    # --- Trenggalek, Tulungagung, Blitar, Kediri, Nganjuk ---
    _agency(
        "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Trenggalek",
        "government",
        "Kabupaten Trenggalek",
        _inno(
            "GERTAK: Gerakan Tengok Bawah Masalah Kesehatan",
            "health",
            2016,
            ("tanggap", "responsif"),
            (
                "Perangkat desa, kader, dan petugas puskesmas mendatangi rumah warga rentan untuk "
                "menemukan masalah kesehatan yang tidak terlaporkan dan segera menanganinya."
            ),
        ),
        _inno(
            "Rumah Gizi Desa",
            "health",
            2018,
            ("efektif",),
            (
                "Balita gizi kurang mendapat makanan tambahan dari pangan lokal, dan orang tuanya "
                "dilatih memasak menu bergizi."
            ),
        ),
    ),
    _agency(
        "Dinas Perindustrian dan Perdagangan Kabupaten Tulungagung",
        "government",
        "Kabupaten Tulungagung",
        _inno(
            "Marmer Tulungagung Naik Kelas",
            "economy",
            2017,
            ("efektif",),
            (
                "Perajin marmer dan onyx didampingi dalam desain produk, standardisasi mutu, dan "
                "promosi ekspor."
            ),
        ),
        _inno(
            "Gerai Bersama Produk Lokal",
            "economy",
            2019,
            ("responsif",),
            (
                "Produk UMKM dipajang dan dijual di gerai bersama yang berada di titik singgah "
                "wisatawan dan terminal."
            ),
        ),
    ),
    _agency(
        "Dinas Peternakan dan Perikanan Kabupaten Blitar",
        "government",
        "Kabupaten Blitar",
        _inno(
            "Puskeswan Keliling",
            "economy",
            2015,
            ("tanggap",),
            (
                "Dokter hewan dan mantri ternak berkeliling ke sentra peternakan ayam petelur dan "
                "sapi untuk vaksinasi dan pengobatan ternak."
            ),
        ),
        _inno(
            "Biogas Kotoran Ternak untuk Dapur Warga",
            "environment",
            2017,
            ("efektif",),
            (
                "Kotoran sapi perah diolah menjadi biogas yang dialirkan ke dapur rumah tangga "
                "sehingga warga hemat elpiji dan lingkungan lebih bersih."
            ),
        ),
    ),
    _agency(
        "Dinas Pendidikan Kota Blitar",
        "government",
        "Kota Blitar",
        _inno(
            "Sekolah Gratis Sampai SMA",
            "education",
            2013,
            ("transparan", "responsif"),
            (
                "Pemerintah kota menanggung biaya pendidikan hingga jenjang SMA bagi seluruh "
                "siswa warga Kota Blitar."
            ),
        ),
        _inno(
            "Kampung Baca Bung Karno",
            "education",
            2018,
            ("efektif",),
            (
                "Taman baca kampung dikelola karang taruna dengan koleksi buku dari perpustakaan "
                "daerah yang berganti setiap bulan."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Kediri",
        "government",
        "Kabupaten Kediri",
        _inno(
            "PSC 119 Kediri: Gawat Darurat Terpadu",
            "health",
            2017,
            ("cepat", "tanggap"),
            (
                "Pusat layanan gawat darurat menerima panggilan 119 dan mengirim ambulans "
                "terdekat lengkap dengan tenaga kesehatan terlatih."
            ),
        ),
        _inno(
            "Posyandu Terintegrasi PAUD",
            "education",
            2016,
            ("efektif",),
            (
                "Posyandu dan PAUD digabung di satu tempat sehingga tumbuh kembang anak dipantau "
                "bersamaan dengan stimulasi pendidikan."
            ),
        ),
    ),
    _agency(
        "Dinas Pertanian dan Perkebunan Kabupaten Kediri",
        "government",
        "Kabupaten Kediri",
        _inno(
            "Asuransi Usaha Tani Padi Bersubsidi",
            "social_protection",
            2016,
            ("responsif",),
            (
                "Petani padi didaftarkan asuransi gagal panen dengan premi yang sebagian besar "
                "ditanggung pemerintah."
            ),
        ),
        _inno(
            "Nanas Kelud Olahan Bernilai Tambah",
            "economy",
            2018,
            ("efektif",),
            (
                "Petani nanas di lereng Kelud dilatih mengolah hasil panen menjadi selai, "
                "keripik, dan minuman kemasan."
            ),
        ),
    ),
    _agency(
        "Badan Perencanaan Pembangunan Daerah Kota Kediri",
        "government",
        "Kota Kediri",
        _inno(
            "Prodamas: Program Pemberdayaan Masyarakat Berbasis RT",
            "governance",
            2015,
            ("transparan", "responsif"),
            (
                "Setiap RT mendapat anggaran tahunan yang penggunaannya direncanakan dan diawasi "
                "langsung oleh warga melalui aplikasi terbuka."
            ),
        ),
        _inno(
            "Ruang Bermain Ramah Anak di Setiap Kelurahan",
            "infrastructure",
            2018,
            ("responsif",),
            (
                "Lahan kosong kampung diubah menjadi ruang bermain yang aman dan ramah anak serta "
                "dikelola oleh warga."
            ),
        ),
    ),
    _agency(
        "Dinas Pertanian Kabupaten Nganjuk",
        "government",
        "Kabupaten Nganjuk",
        _inno(
            "Sekolah Lapang Bawang Merah Musim Hujan",
            "economy",
            2017,
            ("efektif",),
            (
                "Petani bawang merah dibimbing menanam di luar musim dengan teknik naungan dan "
                "drainase sehingga pasokan dan harga lebih stabil."
            ),
        ),
        _inno(
            "Resi Gudang Bawang Merah",
            "economy",
            2018,
            ("transparan",),
            (
                "Petani menyimpan bawang merah di gudang berpendingin dan memakai resi gudang "
                "sebagai jaminan pinjaman saat harga jatuh."
            ),
        ),
    ),
    # --- Madura ---
    _agency(
        "RSUD Syarifah Ambami Rato Ebu",
        "government",
        "Kabupaten Bangkalan",
        _inno(
            "LAPAM: Layanan Persalinan Aman Madura",
            "health",
            2017,
            ("cepat", "tanggap"),
            (
                "Ibu hamil risiko tinggi dari desa-desa di Bangkalan mendapat jalur rujukan cepat "
                "dan ruang bersalin yang siaga 24 jam."
            ),
        ),
        _inno(
            "Pendamping Pasien Berbahasa Madura",
            "health",
            2016,
            ("responsif",),
            (
                "Pendamping membantu pasien lansia yang hanya menguasai bahasa Madura memahami "
                "diagnosis, obat, dan prosedur perawatan."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan Kabupaten Sampang",
        "government",
        "Kabupaten Sampang",
        _inno(
            "Poskestren Aktif: Pos Kesehatan Pesantren",
            "health",
            2016,
            ("efektif",),
            (
                "Santri terlatih menjadi kader kesehatan pondok yang melakukan pemeriksaan "
                "sederhana, edukasi kebersihan, dan rujukan ke puskesmas."
            ),
        ),
        _inno(
            "Jemput Bola Imunisasi Dusun Terpencil",
            "health",
            2018,
            ("tanggap",),
            (
                "Petugas imunisasi mendatangi dusun terpencil dan pulau kecil untuk menuntaskan "
                "imunisasi dasar lengkap balita."
            ),
        ),
    ),
    _agency(
        "Dinas Komunikasi dan Informatika Kabupaten Pamekasan",
        "government",
        "Kabupaten Pamekasan",
        _inno(
            "Radio Desa Aspirasi Warga",
            "governance",
            2015,
            ("transparan", "responsif"),
            (
                "Radio komunitas desa menyiarkan dialog warga dengan kepala desa dan camat, dan "
                "aduan yang masuk ditindaklanjuti secara terbuka."
            ),
        ),
        _inno(
            "Batik Pamekasan Go Online",
            "economy",
            2017,
            ("efektif",),
            (
                "Perajin batik tulis difasilitasi foto produk, toko daring, dan pelatihan "
                "pengiriman barang ke luar pulau."
            ),
        ),
    ),
    _agency(
        "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Sumenep",
        "government",
        "Kabupaten Sumenep",
        _inno(
            "Ambulans Laut Kepulauan Sumenep",
            "health",
            2016,
            ("cepat", "tanggap"),
            (
                "Perahu cepat berfasilitas medis mengevakuasi pasien gawat darurat dari "
                "pulau-pulau kecil ke rumah sakit di daratan."
            ),
        ),
        _inno(
            "Dokter Kunjung Pulau",
            "health",
            2014,
            ("responsif",),
            (
                "Dokter umum dan spesialis dijadwalkan bergiliran berkunjung ke puskesmas di "
                "pulau-pulau kecil."
            ),
        ),
    ),
)

#: Demo jury: (name, email). Fictional people; the addresses live on the demo domain.
DEMO_JUDGES: tuple[tuple[str, str], ...] = (
    # Guru besar administrasi publik
    ("Prof. Dr. Sri Wahyuni Kusumawardhani, M.Si.", "sri.wahyuni@demo.gelar.id"),
    # Dosen kebijakan publik
    ("Dr. Agus Setiawan Hadiprawiro, M.P.A.", "agus.setiawan@demo.gelar.id"),
    # Asisten Ombudsman perwakilan Jawa Timur
    ("Nurul Hidayati, S.H., M.H.", "nurul.hidayati@demo.gelar.id"),
    # Jurnalis senior harian daerah
    ("Rizal Firmansyah", "rizal.firmansyah@demo.gelar.id"),
    # Praktisi pelayanan publik dan pegiat masyarakat sipil
    ("Dra. Endang Puspitasari, M.A.P.", "endang.puspitasari@demo.gelar.id"),
)


def all_innovations() -> list[tuple[DemoAgency, DemoInnovation]]:
    """Return every (agency, innovation) pair, in ``AGENCIES`` order.

    Handy for seeding: create the agency's organization once, then one innovation row per pair.
    """
    return [(agency, innovation) for agency in AGENCIES for innovation in agency.innovations]


def _check() -> None:
    """Validate the data at import time; raise ``ValueError`` describing the first problem."""
    problems: list[str] = []
    if len(AGENCIES) != 89:
        problems.append(f"expected 89 agencies, found {len(AGENCIES)}")
    total = sum(len(agency.innovations) for agency in AGENCIES)
    if total != 178:
        problems.append(f"expected 178 innovations, found {total}")
    agency_keys = [(agency.name, agency.region) for agency in AGENCIES]
    if len(set(agency_keys)) != len(agency_keys):
        problems.append("duplicate agency (name, region)")
    titles = [innovation.title for _, innovation in all_innovations()]
    if len(set(titles)) != len(titles):
        problems.append("duplicate innovation title")
    for agency in AGENCIES:
        if agency.kind not in _KINDS:
            problems.append(f"{agency.name}: unknown kind {agency.kind!r}")
        if len(agency.innovations) != 2:
            problems.append(f"{agency.name}: expected 2 innovations")
        for innovation in agency.innovations:
            where = f"{agency.name} / {innovation.title}"
            if innovation.category not in CATEGORIES:
                problems.append(f"{where}: unknown category {innovation.category!r}")
            if not 2012 <= innovation.year_launched <= 2019:
                problems.append(f"{where}: year {innovation.year_launched} out of range")
            if not innovation.cettar or not set(innovation.cettar) <= set(_CETTAR):
                problems.append(f"{where}: bad CETTAR {innovation.cettar!r}")
            if len(set(innovation.cettar)) != len(innovation.cettar):
                problems.append(f"{where}: repeated CETTAR value")
    if len(DEMO_JUDGES) != 5 or len({email for _, email in DEMO_JUDGES}) != 5:
        problems.append("expected 5 demo judges with distinct emails")
    if problems:
        raise ValueError("demo_data is inconsistent: " + "; ".join(problems))


_check()
