package profile

import (
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newRunLogger writes AIPerf-style lines to path:
// "YYYY-MM-DD HH:MM:SS - aiperf-exporter.profile - LEVEL - message".
func newRunLogger(path string) (*zap.Logger, func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	enc := zapcore.NewConsoleEncoder(zapcore.EncoderConfig{
		TimeKey:          "time",
		LevelKey:         "level",
		MessageKey:       "msg",
		ConsoleSeparator: " - ",
		EncodeTime:       zapcore.TimeEncoderOfLayout("2006-01-02 15:04:05"),
		// AIPerf puts the logger name before the level; zap's console order is
		// fixed (time, level, name), so the level encoder writes both.
		EncodeLevel: func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
			e.AppendString("aiperf-exporter.profile - " + l.CapitalString())
		},
		EncodeDuration: zapcore.StringDurationEncoder,
	})
	log := zap.New(zapcore.NewCore(enc, zapcore.AddSync(f), zap.InfoLevel))
	return log, func() { _ = log.Sync(); _ = f.Close() }, nil
}
