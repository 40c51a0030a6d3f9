package hubtest

// AIMERow is a row of Maxwell-Jia/AIME_2024: capitalised columns, the
// answer an integer.
type AIMERow struct {
	ID       string `parquet:"ID"`
	Problem  string `parquet:"Problem"`
	Solution string `parquet:"Solution"`
	Answer   int64  `parquet:"Answer"`
}

// MathRow is a row of HuggingFaceH4/aime_2024, yentinglin/aime_2025 (answer
// only) and HuggingFaceH4/MATH-500 (solution, subject, level).
type MathRow struct {
	Problem  string `parquet:"problem"`
	Solution string `parquet:"solution"`
	Answer   string `parquet:"answer"`
	Subject  string `parquet:"subject"`
	Level    int64  `parquet:"level"`
}

// GPQARow is a row of Idavidrein/gpqa: column names with spaces.
type GPQARow struct {
	Question   string `parquet:"Question"`
	Correct    string `parquet:"Correct Answer"`
	Incorrect1 string `parquet:"Incorrect Answer 1"`
	Incorrect2 string `parquet:"Incorrect Answer 2"`
	Incorrect3 string `parquet:"Incorrect Answer 3"`
	Domain     string `parquet:"High-level domain"`
}

// HellaSwagRow is a row of Rowan/hellaswag: the endings a list, the label
// the gold index as text.
type HellaSwagRow struct {
	ActivityLabel string   `parquet:"activity_label"`
	Ctx           string   `parquet:"ctx"`
	Endings       []string `parquet:"endings,list"`
	Label         string   `parquet:"label"`
}
