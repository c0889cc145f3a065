"""Real sentences in four scripts the packaged language table has no row for (Hebrew,
right to left with digits; Bengali, with conjuncts; Amharic, Ethiopic syllables; Armenian),
for the test that a language is a row plus catalogs. Test data only: drafted for the test,
not reviewed, never shipped."""

SOURCE = """---
id: newscripts
title: "Take your medicine as planned"
version: "1.0"
date: 2026-12-02
names: []
sources:
  - "A test handout"
---

# Take your medicine as planned

## The most important thing

- **Take 2 tablets, 3 times each day.**
- Do not stop taking this medicine suddenly.

::: emergency
## Warning signs: get emergency help

**Call your local emergency number right away** if you have a seizure or a high fever.
:::
"""

ROWS = """
[he]
tag = "he"
script = "hebrew"
direction = "rtl"
fonts = ["Noto Sans Hebrew", "Noto Sans"]
digits = "latn"
stop = "."
id3 = "heb"
spoken = ["heb"]
espeak = "he"
reading = ""
gtts = ""
piper = ""
braille = []
pace = {}

[bn]
tag = "bn"
script = "bengali"
direction = "ltr"
fonts = ["Noto Sans Bengali", "Noto Sans"]
digits = "latn"
stop = "।"
id3 = "ben"
spoken = ["ben"]
espeak = "bn"
reading = ""
gtts = ""
piper = ""
braille = []
pace = {}

[am]
tag = "am"
script = "ethiopic"
direction = "ltr"
fonts = ["Noto Sans Ethiopic", "Noto Sans"]
digits = "latn"
stop = "።"
id3 = "amh"
spoken = ["amh"]
espeak = "am"
reading = ""
gtts = ""
piper = ""
braille = []
pace = {}

[hy]
tag = "hy"
script = "armenian"
direction = "ltr"
fonts = ["Noto Sans Armenian", "Noto Sans"]
digits = "latn"
stop = "։"
id3 = "arm"
spoken = ["hye"]
espeak = "hy"
reading = ""
gtts = ""
piper = ""
braille = []
pace = {}
"""

HANDOUT = {
    "he": {
        "Take your medicine as planned": "קחו את התרופה כפי שתוכנן",
        "The most important thing": "הדבר החשוב ביותר",
        "**Take 2 tablets, 3 times each day.**": "**קחו 2 טבליות, 3 פעמים בכל יום.**",
        "Do not stop taking this medicine suddenly.": "אל תפסיקו לקחת את התרופה הזאת בפתאומיות.",
        "Warning signs: get emergency help": "סימני אזהרה: קבלו עזרה דחופה",
        "**Call your local emergency number right away** if you have a seizure or a high fever.":
            "**התקשרו מיד למספר החירום המקומי** אם יש לכם פרכוס או חום גבוה.",
    },
    "bn": {
        "Take your medicine as planned": "পরিকল্পনা অনুযায়ী আপনার ওষুধ খান",
        "The most important thing": "সবচেয়ে গুরুত্বপূর্ণ কথা",
        "**Take 2 tablets, 3 times each day.**": "**প্রতিদিন 3 বার, 2টি করে ট্যাবলেট খান।**",
        "Do not stop taking this medicine suddenly.": "এই ওষুধ হঠাৎ করে খাওয়া বন্ধ করবেন না।",
        "Warning signs: get emergency help": "সতর্কতার লক্ষণ: জরুরি সাহায্য নিন",
        "**Call your local emergency number right away** if you have a seizure or a high fever.":
            "**এখনই আপনার স্থানীয় জরুরি নম্বরে ফোন করুন** যদি আপনার খিঁচুনি হয় বা খুব জ্বর হয়।",
    },
    "am": {
        "Take your medicine as planned": "መድሃኒትዎን በታቀደው መሰረት ይውሰዱ",
        "The most important thing": "በጣም አስፈላጊው ነገር",
        "**Take 2 tablets, 3 times each day.**": "**በየቀኑ 3 ጊዜ፣ 2 ጽላቶችን ይውሰዱ።**",
        "Do not stop taking this medicine suddenly.": "ይህን መድሃኒት በድንገት መውሰድ አያቁሙ።",
        "Warning signs: get emergency help": "የማስጠንቀቂያ ምልክቶች፦ የአደጋ ጊዜ እርዳታ ያግኙ",
        "**Call your local emergency number right away** if you have a seizure or a high fever.":
            "**ወዲያውኑ ወደ አካባቢዎ የአደጋ ጊዜ ቁጥር ይደውሉ** መናድ ወይም ከፍተኛ ትኩሳት ካጋጠመዎት።",
    },
    "hy": {
        "Take your medicine as planned": "Ընդունեք ձեր դեղը ըստ ծրագրի",
        "The most important thing": "Ամենակարևորը",
        "**Take 2 tablets, 3 times each day.**": "**Ընդունեք 2 հաբ, օրական 3 անգամ։**",
        "Do not stop taking this medicine suddenly.": "Մի՛ դադարեցրեք այս դեղի ընդունումը հանկարծակի։",
        "Warning signs: get emergency help": "Վտանգի նշաններ. դիմեք շտապ օգնության",
        "**Call your local emergency number right away** if you have a seizure or a high fever.":
            "**Անմիջապես զանգահարեք տեղական շտապ օգնության համարով**, եթե ունեք ցնցումներ կամ բարձր ջերմություն։",
    },
}

TEMPLATES = {
    "he": {
        "Download the braille file (BRF)": "הורידו את קובץ הברייל (BRF)",
        "Download the talking book (EPUB)": "הורידו את הספר המדבר (EPUB)",
        "Contents": "תוכן העניינים",
        "Download the handout in this language and English (PDF)": "הורידו את דף המידע בעברית ובאנגלית (PDF)",
        "Not yet translated": "עדיין לא תורגם",
        "Version {version}": "גרסה {version}",
        "Updated {date}": "עודכן {date}",
        "Reviewed by {reviewer}": "נבדק על ידי {reviewer}",
        "{heading} (continued)": "{heading} (המשך)",
        "Page {page} of {pages}": "עמוד {page} מתוך {pages}",
        "Draft: not yet checked by a clinician": "טיוטה: עדיין לא נבדק על ידי איש צוות רפואי",
        "Draft translation: not yet checked by a qualified medical translator":
            "תרגום טיוטה: עדיין לא נבדק על ידי מתרגם רפואי מוסמך",
        "Scan to listen": "סרקו כדי להאזין",
        "Call your local emergency number": "התקשרו למספר החירום המקומי",
        "Questions? Call {phone}": "שאלות? התקשרו {phone}",
        "My plan": "התוכנית שלי",
        "This is the handout: {title}.": "זהו דף המידע: {title}.",
        "From {site}.": "מאת {site}.",
        "Language: {language}": "שפה: {language}",
        "Download the printed handout (PDF)": "הורידו את דף המידע המודפס (PDF)",
        "Download the audio (MP3)": "הורידו את ההקלטה (MP3)",
        "Download the warning signs (MP3)": "הורידו את סימני האזהרה (MP3)",
        "Transcript": "תמליל",
        "Parts of the audio": "חלקי ההקלטה",
    },
    "bn": {
        "Download the braille file (BRF)": "ব্রেইল ফাইল ডাউনলোড করুন (BRF)",
        "Download the talking book (EPUB)": "কথা বলা বই ডাউনলোড করুন (EPUB)",
        "Contents": "সূচিপত্র",
        "Download the handout in this language and English (PDF)": "বাংলা ও ইংরেজিতে লেখা তথ্যপত্রটি ডাউনলোড করুন (PDF)",
        "Not yet translated": "এখনও অনুবাদ করা হয়নি",
        "Version {version}": "সংস্করণ {version}",
        "Updated {date}": "হালনাগাদ {date}",
        "Reviewed by {reviewer}": "পর্যালোচনা করেছেন {reviewer}",
        "{heading} (continued)": "{heading} (চলমান)",
        "Page {page} of {pages}": "{pages} এর মধ্যে পৃষ্ঠা {page}",
        "Draft: not yet checked by a clinician": "খসড়া: এখনও কোনো চিকিৎসক পরীক্ষা করেননি",
        "Draft translation: not yet checked by a qualified medical translator":
            "খসড়া অনুবাদ: এখনও কোনো যোগ্য চিকিৎসা অনুবাদক পরীক্ষা করেননি",
        "Scan to listen": "শুনতে স্ক্যান করুন",
        "Call your local emergency number": "আপনার স্থানীয় জরুরি নম্বরে ফোন করুন",
        "Questions? Call {phone}": "প্রশ্ন আছে? ফোন করুন {phone}",
        "My plan": "আমার পরিকল্পনা",
        "This is the handout: {title}.": "এটি হলো তথ্যপত্র: {title}।",
        "From {site}.": "{site} থেকে।",
        "Language: {language}": "ভাষা: {language}",
        "Download the printed handout (PDF)": "ছাপা তথ্যপত্র ডাউনলোড করুন (PDF)",
        "Download the audio (MP3)": "অডিও ডাউনলোড করুন (MP3)",
        "Download the warning signs (MP3)": "সতর্কতার লক্ষণগুলো ডাউনলোড করুন (MP3)",
        "Transcript": "প্রতিলিপি",
        "Parts of the audio": "অডিওর অংশগুলো",
    },
    "am": {
        "Download the braille file (BRF)": "የብሬይል ፋይሉን ያውርዱ (BRF)",
        "Download the talking book (EPUB)": "የድምፅ መጽሐፉን ያውርዱ (EPUB)",
        "Contents": "ማውጫ",
        "Download the handout in this language and English (PDF)": "በአማርኛና በእንግሊዝኛ የተጻፈውን በራሪ ወረቀት ያውርዱ (PDF)",
        "Not yet translated": "ገና አልተተረጎመም",
        "Version {version}": "ስሪት {version}",
        "Updated {date}": "የተሻሻለው {date}",
        "Reviewed by {reviewer}": "የገመገመው {reviewer}",
        "{heading} (continued)": "{heading} (የቀጠለ)",
        "Page {page} of {pages}": "ገጽ {page} ከ {pages}",
        "Draft: not yet checked by a clinician": "ረቂቅ፦ ገና በሐኪም አልተመረመረም",
        "Draft translation: not yet checked by a qualified medical translator":
            "ረቂቅ ትርጉም፦ ገና ብቁ በሆነ የሕክምና ተርጓሚ አልተመረመረም",
        "Scan to listen": "ለማዳመጥ ይቃኙ",
        "Call your local emergency number": "ወደ አካባቢዎ የአደጋ ጊዜ ቁጥር ይደውሉ",
        "Questions? Call {phone}": "ጥያቄ አለዎት? ይደውሉ {phone}",
        "My plan": "የእኔ ዕቅድ",
        "This is the handout: {title}.": "ይህ መረጃ ወረቀቱ ነው፦ {title}።",
        "From {site}.": "ከ{site}።",
        "Language: {language}": "ቋንቋ፦ {language}",
        "Download the printed handout (PDF)": "የታተመውን መረጃ ያውርዱ (PDF)",
        "Download the audio (MP3)": "ድምጹን ያውርዱ (MP3)",
        "Download the warning signs (MP3)": "የማስጠንቀቂያ ምልክቶቹን ያውርዱ (MP3)",
        "Transcript": "የተጻፈ ቅጂ",
        "Parts of the audio": "የድምጹ ክፍሎች",
    },
    "hy": {
        "Download the braille file (BRF)": "Ներբեռնեք Բրայլի գրով ֆայլը (BRF)",
        "Download the talking book (EPUB)": "Ներբեռնեք խոսող գիրքը (EPUB)",
        "Contents": "Բովանդակություն",
        "Download the handout in this language and English (PDF)": "Ներբեռնեք տեղեկաթերթիկը հայերեն և անգլերեն լեզուներով (PDF)",
        "Not yet translated": "Դեռ թարգմանված չէ",
        "Version {version}": "Տարբերակ {version}",
        "Updated {date}": "Թարմացվել է {date}",
        "Reviewed by {reviewer}": "Ստուգել է {reviewer}",
        "{heading} (continued)": "{heading} (շարունակություն)",
        "Page {page} of {pages}": "Էջ {page}՝ {pages}-ից",
        "Draft: not yet checked by a clinician": "Սևագիր. դեռ չի ստուգվել բժշկի կողմից",
        "Draft translation: not yet checked by a qualified medical translator":
            "Սևագիր թարգմանություն. դեռ չի ստուգվել որակավորված բժշկական թարգմանչի կողմից",
        "Scan to listen": "Սկանավորեք՝ լսելու համար",
        "Call your local emergency number": "Զանգահարեք տեղական շտապ օգնության համարով",
        "Questions? Call {phone}": "Հարցեր ունե՞ք։ Զանգահարեք {phone}",
        "My plan": "Իմ ծրագիրը",
        "This is the handout: {title}.": "Սա տեղեկաթերթիկն է՝ {title}։",
        "From {site}.": "{site}-ից։",
        "Language: {language}": "Լեզու՝ {language}",
        "Download the printed handout (PDF)": "Ներբեռնեք տպագիր տեղեկաթերթիկը (PDF)",
        "Download the audio (MP3)": "Ներբեռնեք ձայնագրությունը (MP3)",
        "Download the warning signs (MP3)": "Ներբեռնեք վտանգի նշանները (MP3)",
        "Transcript": "Տեքստային տարբերակ",
        "Parts of the audio": "Ձայնագրության մասերը",
    },
}
