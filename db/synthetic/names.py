"""Word lists for synthetic people and places.

Names common in Kalimantan Barat and across Indonesia: Malay (Melayu
Pontianak, incl. the Syarif/Syarifah families of Arab descent), Javanese,
Madurese, Bugis, Chinese-Indonesian (Teochew/Hakka, old and Indonesianised
forms), Dayak (mostly Christian first names plus Dayak names) and Batak.
Each "group" builds names its own way, so mixing gives many thousands of
distinct combinations. These are generator data for demos and benchmarks,
not reference data of the product.
"""
from __future__ import annotations

import random

# --------------------------------------------------------------------------- first names

MELAYU_L = """
Abdullah Abdul Ahmad Akhmad Ali Amran Anwar Arif Arifin Asmadi Azhar Bahrin Burhan Darmawan
Effendi Fadli Fahmi Faisal Fauzan Fikri Firdaus Hamdan Hamid Hasan Hasbi Hendri Herman Husin
Ibrahim Idris Ikhsan Ilham Iskandar Ismail Jamal Jamaludin Juhdi Kamaruddin Khairil Lukman
Mahmud Mansur Marzuki Muhammad Mukhlis Munir Musa Mustafa Nasrullah Nazarudin Nurdin Rahmat
Ramli Rizal Rizki Rudi Saiful Salman Samsul Sulaiman Syahrial Syamsudin Taufik Usman Wahyu
Yusuf Zainal Zulkarnain Zulkifli Ridwan Azwar Fadhil Harun Ja'far Said Saleh Umar Usup
""".split()
MELAYU_P = """
Aisyah Aminah Anisa Asmah Aswiyah Azizah Badariah Dahlia Faridah Fatimah Hafizah Halimah
Hamidah Hasnah Jamilah Juliana Khadijah Laila Maimunah Mariam Masnah Nabila Nadia Nafisah
Noraini Nurhayati Nurjanah Nuraini Nurul Rabiah Rahmah Rahmawati Raudah Rohani Rosmaniar
Rusmini Saadah Salmah Sarifah Siti Suryani Syarifah Umi Wahidah Yuliani Zainab Zubaidah
Zuraidah Zaleha Mastura Rosnah Hairani Latifah Mardiah Norma Sakinah Sofiah Habibah
""".split()
JAWA_L = """
Agus Bambang Budi Darmanto Dwi Eko Gunawan Hadi Hariyanto Heru Joko Kusnadi Mulyono Nugroho
Paijo Parman Priyo Purnomo Rahmat Sapto Sarwono Slamet Sugeng Sugiarto Suharto Sukirno
Sulistyo Sumarno Supardi Suparman Supriyadi Surono Susilo Sutrisno Suwarno Teguh Tri Wahyudi
Widodo Wiyono Yanto Yudi Bagus Adi Ari Setyo Wawan Darto Karno Margono Ngatimin Tukiman
""".split()
JAWA_P = """
Ani Dewi Dwi Endang Erna Hartini Indah Kartini Lestari Marsini Ngatini Puji Rini Sri Sulastri
Sumarni Sumiati Suparmi Susanti Suwarni Tri Tuminah Wahyuni Wartini Yuni Sukinah Murni
Purwanti Rukmini Setyowati Sulistyowati Suprihatin Tumini Winarsih Yatmi Kasmini Paini
""".split()
MADURA_L = """
Moh Holil Sahrawi Munawar Matrawi Sahlan Rasyid Abdurrahman Marsuki Fathor Hosnan Jumadi
Sukri Satrawi Misnadi Suhaimi Mattali Busiri Rohman Hamzah
""".split()
MADURA_P = """
Maimunah Munawaroh Sumiyati Halimatus Hosniyah Rohimah Muzayyanah Saniyah Khotijah Sunarti
""".split()
BUGIS_L = """
Andi Arfan Asri Baso Darwis Firman Haris Hasanuddin Irfan Jumadi Mappasessu Muhlis Nasir
Rahman Ramlan Sahabuddin Syamsul Tamrin Yusran Zulfikar Amiruddin Sultan Anshar Basri
""".split()
BUGIS_P = """
Andi Besse Hasnawati Hasriani Irmawati Jumriah Kasmawati Nurhaeda Rahmatia Sitti Sumarni
Syamsiah Wahida Nurbaya Hasmiah Ratna Rosdiana Sahariah Mariati
""".split()
TIONGHOA_L = """
Acong Ahok Akiong Aliong Apin Asen Budiman Darmadi Edi Fendi Hartono Hendra Hendrik
Herman Ivan Johan Kurniawan Limin Rudy Sanjaya Setiawan Suhardi Sukardi Susanto Tjhiu
Wijaya Yohanes Yudianto Alvin Kevin Steven Felix Ricky Jimmy Andy Sutrisno Ahmin Acuan
""".split()
TIONGHOA_P = """
Ameliana Angelina Cindy Elisabet Fenny Herlina Jessica Lani Lili Lina Linda Meilani Melinda
Meiling Mulyani Nancy Susanti Susi Vivi Wenny Yenny Yuliana Ahua Amoi Apui Asui Lanny
Evi Feni Natalia Sherly Stefani Winda Yanti
""".split()
DAYAK_L = """
Agustinus Alexius Ambrosius Anyeq Asuy Bernardus Dominikus Fransiskus Gregorius Heronimus
Ignatius Kornelis Laurensius Markus Martinus Nikodemus Paulus Petrus Stefanus Thomas
Yakobus Yohanes Yosef Yulius Rufinus Aloysius Benediktus Kristianus Matius Silvanus Apai
Juk Ajik Ason Ikau Ngadan Nyangun Luhat
""".split()
DAYAK_P = """
Agnes Angela Bernadeta Fransiska Katarina Kristina Lusia Magdalena Margaretha Maria Monika
Paulina Rosalia Rosita Skolastika Theresia Veronika Yosefina Yuliana Elisabeth Dayang Dara
Emiliana Herlina Imelda Lidia Sesilia Yustina Ineh Itut
""".split()
BATAK_L = """
Robert Jhonson Daniel Hotman Parulian Ronald Togar Sahat Tigor Bonar Samuel Hendrik
""".split()
BATAK_P = """
Rosmawati Tiurma Ruth Debora Lasmaria Hotnida Rohani Sondang Melva Nurmaida
""".split()

# Second given names / name endings used in two-word names.
TENGAH_L = """
Abdul Nur Syarif Wahyu Dwi Adi Eka Bayu Hari Indra Rahmat Ade Agus Heri Dedi Joni
""".split()
TENGAH_P = """
Nur Dwi Eka Sri Ayu Dewi Indah Siti Ratna Fitri Nurul Tri Endang Yuli Rina
""".split()
# Given names fashionable since the 1990s.
MODERN_L = """
Rizky Arya Dimas Fajar Aldi Aditya Galih Reza Satria Yoga Bintang Raka Rafi Farel Daffa Alif
Rafa Gibran Arkan Kenzie Zidan Fauzan Naufal Haikal Akbar Ilham Rehan Dafa
""".split()
MODERN_P = """
Putri Rizka Intan Aulia Salsabila Zahra Nabila Alya Citra Kirana Aprilia Amelia Nadia Keisha
Aisyah Khanza Naura Azzahra Syifa Talita Anisa Najwa Adinda Cahaya
""".split()

# --------------------------------------------------------------------------- family names

MARGA_TIONGHOA = """
Lie Tan Lim Ng Bong Tjhai Tjhin Tjhia Tjong Liu Chang Chong Phang Ketsia Lay Lo Oey Kho Kwee
Wong Jap Go Thio Tjia Sim Tay Yap Teo Ang Chai
""".split()
MARGA_TIONGHOA_INDONESIA = """
Wijaya Gunawan Halim Salim Tanoto Kurniawan Setiawan Hartono Susanto Sugianto Tanujaya
Limanto Tandiono Hidayat Santoso Widjaja Lukito Sutanto Candra
""".split()
MARGA_BATAK = """
Siregar Nasution Harahap Simanjuntak Sitorus Hutapea Sinaga Situmorang Pardede Manurung
Simatupang Lubis Panjaitan Tambunan
""".split()
MARGA_ARAB = """
Alkadrie Assegaf Alatas Al Habsyi Al Jufri Baabud Bawazier Al Idrus Shahab
""".split()
MARGA_BUGIS = """
Mappangara Latief Ramli Pawellangi Daeng Mattalatta Pabittei Lamada Paturusi
""".split()
NAMA_AKHIR_L = """
Santoso Saputra Hidayat Wijaya Pratama Kusuma Purnama Setiawan Permana Nugraha Ramadhan Hakim
Firmansyah Maulana Kurniawan Prasetyo Syahputra Wibowo Hermawan Gunadi Saputro Irawan
""".split()
NAMA_AKHIR_P = """
Saputri Lestari Rahmawati Wulandari Handayani Susanti Anggraini Febriani Oktaviani Utami Safitri
Rahayu Sari Fitriani Puspitasari Permatasari Kusumawati Maharani Pratiwi Purnamasari
""".split()
BIN_AYAH = MELAYU_L + BUGIS_L + MADURA_L

# group -> (weight in Kalimantan Barat towns)
GROUPS = {
    "melayu": 34,
    "jawa": 16,
    "tionghoa": 17,
    "dayak": 14,
    "madura": 7,
    "bugis": 7,
    "batak": 3,
    "arab": 2,
}
_GROUP_NAMES = list(GROUPS)
_GROUP_WEIGHTS = list(GROUPS.values())


def pick_group(rng: random.Random) -> str:
    return rng.choices(_GROUP_NAMES, _GROUP_WEIGHTS)[0]


def _first(rng: random.Random, group: str, sex: str) -> str:
    lists = {
        "melayu": (MELAYU_L, MELAYU_P),
        "arab": (MELAYU_L, MELAYU_P),
        "jawa": (JAWA_L, JAWA_P),
        "madura": (MADURA_L, MADURA_P),
        "bugis": (BUGIS_L, BUGIS_P),
        "tionghoa": (TIONGHOA_L, TIONGHOA_P),
        "dayak": (DAYAK_L, DAYAK_P),
        "batak": (BATAK_L, BATAK_P),
    }[group]
    return rng.choice(lists[0] if sex == "L" else lists[1])


def person_name(rng: random.Random, sex: str, group: str | None = None, *, born_year: int = 1980,
                family: str | None = None) -> str:
    """A plausible full name; ``family`` is a household's shared family name, if any."""
    group = group or pick_group(rng)
    first = _first(rng, group, sex)
    young = born_year >= 1995
    if young:
        mid = rng.choice(MODERN_L if sex == "L" else MODERN_P)
        if group in ("melayu", "jawa", "bugis", "madura") and rng.random() < 0.4:
            first = mid
            mid = rng.choice(MODERN_L if sex == "L" else MODERN_P)
    else:
        mid = rng.choice(TENGAH_L if sex == "L" else TENGAH_P)
    akhir = NAMA_AKHIR_L if sex == "L" else NAMA_AKHIR_P
    if group == "tionghoa":
        marga = family or rng.choice(MARGA_TIONGHOA)
        r = rng.random()
        if born_year < 1965 and r < 0.6:
            # Old style: family name first, two syllables ("Lie Ah Kiong").
            syl = rng.choice(["Ah", "A", "Kim", "Mei", "Siu", "Kui", "Fung", "Sin", "Lan", "Tjoe"])
            end = rng.choice(["Kiong", "Hua", "Lan", "Fa", "Moi", "Khiong", "Liong", "Min", "Phin", "Ket"])
            return f"{marga} {syl} {end}"
        if r < 0.5:
            return f"{first} {rng.choice(MARGA_TIONGHOA_INDONESIA)}"
        return f"{first} {marga}" if rng.random() < 0.7 else f"{first} {mid}"
    if group == "batak":
        return f"{first} {family or rng.choice(MARGA_BATAK)}"
    if group == "arab":
        gelar = "Syarif" if sex == "L" else "Syarifah"
        return f"{gelar} {first} {family or rng.choice(MARGA_ARAB)}"
    if group == "bugis":
        if rng.random() < 0.25:
            prefix = "Andi" if rng.random() < 0.7 else ("La" if sex == "L" else "I")
            return f"{prefix} {first if first != 'Andi' else mid} {rng.choice(MARGA_BUGIS) if rng.random() < 0.4 else ''}".strip()
    if group == "jawa":
        if rng.random() < (0.7 if young else 0.35):
            return f"{first} {rng.choice(akhir)}"
        return first if rng.random() < 0.6 else f"{mid} {first}"
    if group == "dayak":
        dayak_end = rng.choice(DAYAK_L if sex == "L" else DAYAK_P)
        if rng.random() < 0.5:
            return f"{first} {family or rng.choice(['Asuy', 'Ajik', 'Ikau', 'Nyangun', 'Luhat', 'Apai', 'Ason', 'Juk'])}"
        return f"{first} {dayak_end}" if dayak_end != first else first
    if group == "madura":
        if first == "Moh":
            return f"Moh. {rng.choice(MADURA_L[1:])}"
        return first if rng.random() < 0.5 else f"{first} {rng.choice(akhir)}"
    # Melayu (and the default): two given names, sometimes bin/binti the father's name.
    r = rng.random()
    if r < 0.12 and not young:
        return f"{first} {'bin' if sex == 'L' else 'binti'} {rng.choice(BIN_AYAH)}"
    if r < 0.55:
        if first in ("Muhammad", "Siti", "Nurul", "Syarifah"):
            return f"{first} {rng.choice(MELAYU_L if sex == 'L' else MELAYU_P)}"
        return f"{mid} {first}" if mid != first else first
    if r < 0.8 and young:
        return f"{first} {rng.choice(akhir)}"
    return first


def family_name(rng: random.Random, group: str) -> str | None:
    """The family name a household shares, for groups that have one."""
    if group == "tionghoa":
        return rng.choice(MARGA_TIONGHOA)
    if group == "batak":
        return rng.choice(MARGA_BATAK)
    if group == "arab":
        return rng.choice(MARGA_ARAB)
    return None


def lembaga_name(rng: random.Random, jenis: str, kelurahan: str) -> str:
    """Name of an institution-type PSKS (LKS, Karang Taruna, ...)."""
    if jenis == "KARTAR":
        return f"Karang Taruna {rng.choice(['Bina Remaja', 'Tunas Harapan', 'Putra Bangsa', 'Mekar Jaya', 'Citra Muda'])} {kelurahan}"
    if jenis == "LKS":
        return rng.choice([
            "LKS Panti Asuhan Al-Hidayah", "LKS Yayasan Bina Insani", "LKS Darul Aitam",
            "LKS Kasih Bunda", "LKS Santo Yosef", "LKS Yayasan Nurul Iman", "LKS Permata Hati",
            "LKSA Putra Harapan", "LKS Lansia Sejahtera", "LKS Pelita Kasih",
        ]) + f" {kelurahan}"
    if jenis == "LK3":
        return f"LK3 {rng.choice(['Harmoni', 'Keluarga Sakinah', 'Bahtera'])} {kelurahan}"
    if jenis == "WKSBM":
        return f"WKSBM {rng.choice(['Gotong Royong', 'Peduli Sesama', 'Bersatu'])} {kelurahan}"
    if jenis == "DUNIA_USAHA":
        return rng.choice(["PT Khatulistiwa Mandiri", "CV Sumber Rezeki", "PT Borneo Sejahtera",
                           "Koperasi Karya Bersama", "PT Kapuas Indah Lestari"])
    return f"{jenis.title()} {kelurahan}"


# --------------------------------------------------------------------------- places

STREET_WORDS = """
Gajah Mada|Tanjungpura|Ahmad Yani|Kom Yos Sudarso|Khatulistiwa|Imam Bonjol|Sultan Abdurrahman|
Sungai Raya Dalam|Parit Haji Husin|Tanjung Raya|Harapan Jaya|Pak Kasih|Merdeka|Hijas|
Sisingamangaraja|Dr. Wahidin|Purnama|Perdana|Reformasi|Adisucipto|28 Oktober|Husein Hamzah|
Selat Panjang|Gusti Situt Mahmud|Karya Baru|Suwignyo|Paris|Apel|Ampera|Pangeran Natakusuma|
Sungai Jawi|Danau Sentarum|Kebangkitan Nasional|Martadinata|Budi Karya|Nusa Indah|Veteran|
Putri Candramidi|Ya'm Sabran|Panglima Aim|Tabrani Ahmad|Sepakat|Kota Baru|Alianyang|
Melati|Mawar|Kenanga|Anggrek|Flamboyan|Cempaka|Dahlia|Teratai|Seroja|Kamboja|Rajawali|Merpati|
Cendrawasih|Kakak Tua|Pramuka|Pattimura|Diponegoro|Sudirman|Hasanuddin|Kartini|Cut Nyak Dien
""".replace("\n", "").split("|")
GANG_WORDS = """
Rahmat|Family|Selamat|Damai|Sepakat|Karya|Usaha|Bersama|Sederhana|Mulia|Amal|Ikhlas|Barokah|
Haji Mursyid|Keluarga|Harapan|Mandiri|Sejahtera|Berkat|Setia|Wonoyoso|Sukamaju|Swadaya|Asoka
""".replace("\n", "").split("|")

TEMPAT_LAHIR_NASIONAL = """
Jakarta|Surabaya|Semarang|Yogyakarta|Bandung|Medan|Makassar|Banjarmasin|Palembang|Bangkalan|
Sampang|Sumenep|Pamekasan|Bone|Wajo|Parepare|Solo|Kediri|Malang|Padang|Kuching|Pekanbaru|
Samarinda|Balikpapan|Tarakan|Manado|Kupang|Ambon|Tegal|Cirebon|Tulungagung|Lamongan
""".replace("\n", "").split("|")


def address(rng: random.Random, kelurahan: str) -> str:
    r = rng.random()
    if r < 0.5:
        jalan = rng.choice(STREET_WORDS)
        if rng.random() < 0.3:
            jalan += " " + rng.choice(["I", "II", "III", "Dalam", "Luar", "Ujung"])
        text = f"Jl. {jalan}"
        if rng.random() < 0.6:
            text += f" Gg. {rng.choice(GANG_WORDS)}"
            if rng.random() < 0.4:
                text += f" {rng.randint(1, 9)}"
    elif r < 0.7:
        text = f"Jl. {kelurahan}"
        if rng.random() < 0.5:
            text += f" Gg. {rng.choice(GANG_WORDS)}"
    elif r < 0.85:
        text = f"Komp. {rng.choice(['Griya', 'Villa', 'Perumnas', 'Bumi', 'Taman'])} {rng.choice(GANG_WORDS)} Blok {rng.choice('ABCDEFGH')}"
    else:
        text = f"Gg. {rng.choice(GANG_WORDS)}"
    return f"{text} No. {rng.randint(1, 150)}" if rng.random() < 0.85 else text


def telepon(rng: random.Random) -> str:
    prefix = rng.choice(["0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877", "0896"])
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((7, 8))))
