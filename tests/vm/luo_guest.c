// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * luo_guest: the workload of make vmtest, run inside the QEMU guest.
 *
 *   luo_guest out PLAN KERNEL INITRD CMDLINE HOOK
 *       Kernel 1: create the sessions and preserve the memfds PLAN names,
 *       run HOOK (a shell script: the tool's checks while the state is
 *       live), then kexec_file_load KERNEL/INITRD with CMDLINE and reboot
 *       into it.  The session fds must stay open until the reboot, or the
 *       kernel drops the sessions, so the kexec is done from here.
 *   luo_guest in PLAN
 *       Kernel 2: retrieve every session and memfd PLAN names, compare each
 *       byte with what kernel 1 wrote, and finish the sessions.
 *
 * PLAN is tests/vm/plan's syntax, plus, for the fault runs of
 * tests/vm/faults/: "sessions N PREFIX" (N empty sessions) and "duplicate
 * NAME" (create NAME once more after the plan: it must fail with EEXIST,
 * which in 7.2 still grows the session block set).  "poke" and "expect"
 * lines are the host's.
 *   luo_guest dumpnow
 *       Call syncfs(), where the host's debugger waits to dump guest memory.
 *   luo_guest measure NAME CMD [ARG...]
 *       Run CMD and report its exit status and peak RSS.
 *   /init (argv[0], as PID 1)
 *       The whole guest with no shell (make vmtest on arm64): mount what
 *       LUO needs; kernel 1 preserves /plan and kexecs /Image with an
 *       initramfs it writes itself (this program and the plan); kernel 2
 *       (vmtest.stage=2 on its command line) retrieves and verifies, then
 *       powers off.
 *
 * Every outcome is one line "VMTEST-RESULT <name> pass|fail <detail>" on
 * stdout, which the host reads from the serial console.  Built statically
 * against the uAPI header of the kernel under test (linux/liveupdate.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/liveupdate.h>
#include <linux/reboot.h>

#define MAX_SESSIONS 64
#define MAX_FILES 16
#define PAGE 4096UL

struct file_plan {
	uint64_t token;
	uint64_t size;
	int sparse;
};

struct session_plan {
	char name[LIVEUPDATE_SESSION_NAME_LENGTH];
	struct file_plan files[MAX_FILES];
	int nfiles;
	int fd;
};

static struct session_plan plan[MAX_SESSIONS];
static int nplan;
/* A session name created a second time after the plan, which must fail. */
static char duplicate[LIVEUPDATE_SESSION_NAME_LENGTH];
static int failures;

static void result(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("VMTEST-RESULT %s %s ", name, ok ? "pass" : "fail");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

static int read_plan(const char *path)
{
	char line[256], word[16], arg[LIVEUPDATE_SESSION_NAME_LENGTH], fill[16];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	if (!f) {
		result("plan", 0, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%15s", word) != 1)
			continue;
		if (!strcmp(word, "session") && nplan < MAX_SESSIONS &&
		    sscanf(line, "session %63s", arg) == 1) {
			snprintf(plan[nplan].name, sizeof(plan[nplan].name),
				 "%s", arg);
			plan[nplan++].fd = -1;
		} else if (!strcmp(word, "memfd") && nplan > 0 &&
			   plan[nplan - 1].nfiles < MAX_FILES) {
			struct session_plan *s = &plan[nplan - 1];
			struct file_plan *fp = &s->files[s->nfiles];

			if (sscanf(line, "memfd %" SCNi64 " %" SCNu64 " %15s",
				   &fp->token, &fp->size, fill) != 3) {
				result("plan", 0, "%s:%d: bad memfd line",
				       path, lineno);
				fclose(f);
				return -1;
			}
			fp->sparse = !strcmp(fill, "sparse");
			s->nfiles++;
		} else if (!strcmp(word, "sessions")) {
			/* sessions N PREFIX: N empty sessions PREFIX-0.. */
			int n;

			if (sscanf(line, "sessions %d %40s", &n, arg) != 2 ||
			    n < 0 || n > MAX_SESSIONS - nplan) {
				result("plan", 0, "%s:%d: bad sessions line",
				       path, lineno);
				fclose(f);
				return -1;
			}
			for (int i = 0; i < n; i++) {
				snprintf(plan[nplan].name,
					 sizeof(plan[nplan].name), "%.40s-%d",
					 arg, i % 10000);
				plan[nplan++].fd = -1;
			}
		} else if (!strcmp(word, "duplicate") &&
			   sscanf(line, "duplicate %63s", arg) == 1) {
			snprintf(duplicate, sizeof(duplicate), "%s", arg);
		} else if (!strcmp(word, "poke") || !strcmp(word, "expect")) {
			/* For the host: tests/vm/fault.py. */
		} else {
			result("plan", 0, "%s:%d: not understood", path, lineno);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* The byte kernel 1 writes at @off of memfd @token; kernel 2 checks it. */
static uint8_t pattern(uint64_t token, uint64_t off)
{
	return (uint8_t)(off * 31 + token * 7 + (off >> 12));
}

static int page_written(const struct file_plan *fp, uint64_t page)
{
	uint64_t pages = (fp->size + PAGE - 1) / PAGE;

	if (!fp->sparse)
		return 1;
	return page == 0 || page == pages / 2 || page == pages - 1;
}

static int fill_memfd(int fd, const struct file_plan *fp)
{
	uint8_t buf[PAGE];
	uint64_t off;

	if (ftruncate(fd, (off_t)fp->size))
		return -errno;
	for (off = 0; off < fp->size; off += PAGE) {
		uint64_t n = fp->size - off < PAGE ? fp->size - off : PAGE;

		if (!page_written(fp, off / PAGE))
			continue;
		for (uint64_t i = 0; i < n; i++)
			buf[i] = pattern(fp->token, off + i);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			return -EIO;
	}
	return 0;
}

static int verify_memfd(int fd, const struct file_plan *fp, uint64_t *bad)
{
	uint8_t buf[PAGE];
	struct stat st;
	uint64_t off;

	if (fstat(fd, &st))
		return -errno;
	if ((uint64_t)st.st_size != fp->size)
		return -EFBIG;
	for (off = 0; off < fp->size; off += PAGE) {
		uint64_t n = fp->size - off < PAGE ? fp->size - off : PAGE;
		int written = page_written(fp, off / PAGE);

		if (pread(fd, buf, n, (off_t)off) != (ssize_t)n)
			return -EIO;
		for (uint64_t i = 0; i < n; i++) {
			uint8_t want = written ? pattern(fp->token, off + i) : 0;

			if (buf[i] != want) {
				*bad = off + i;
				return -EBADMSG;
			}
		}
	}
	return 0;
}

static int preserve_all(int luo)
{
	for (int s = 0; s < nplan; s++) {
		struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
		struct session_plan *sp = &plan[s];

		memcpy(cs.name, sp->name, sizeof(cs.name));
		if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs) < 0) {
			result("create-session", 0, "%s: %s", sp->name,
			       strerror(errno));
			return -1;
		}
		sp->fd = cs.fd;
		for (int f = 0; f < sp->nfiles; f++) {
			struct file_plan *fp = &sp->files[f];
			struct liveupdate_session_preserve_fd pf = {
				.size = sizeof(pf), .token = fp->token };
			int mfd = memfd_create("vmtest", 0);
			int err;

			if (mfd < 0 || (err = fill_memfd(mfd, fp)) != 0) {
				result("fill-memfd", 0, "%s/0x%" PRIx64 ": %s",
				       sp->name, fp->token, strerror(errno));
				return -1;
			}
			pf.fd = mfd;
			if (ioctl(sp->fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf) < 0) {
				result("preserve-fd", 0, "%s/0x%" PRIx64 ": %s",
				       sp->name, fp->token, strerror(errno));
				return -1;
			}
			close(mfd);
		}
		result("preserve-session", 1, "%s %d files", sp->name,
		       sp->nfiles);
	}
	return 0;
}

static int run_hook(const char *hook)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", hook, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int do_out(char **argv)
{
	const char *kernel = argv[0], *initrd = argv[1], *cmdline = argv[2];
	int luo, kfd, ifd;

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0) {
		result("open-liveupdate", 0, "%s", strerror(errno));
		return 1;
	}
	if (preserve_all(luo))
		return 1;
	if (duplicate[0]) {
		struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
		int rc;

		memcpy(cs.name, duplicate, sizeof(cs.name));
		rc = ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs);
		result("duplicate-create", rc < 0 && errno == EEXIST, "%s: %s",
		       duplicate, rc < 0 ? strerror(errno) : "created");
	}
	printf("VMTEST-STAGE preserved\n");
	fflush(stdout);
	if (argv[3])
		run_hook(argv[3]);

	kfd = open(kernel, O_RDONLY);
	ifd = open(initrd, O_RDONLY);
	if (kfd < 0 || ifd < 0) {
		result("kexec-load", 0, "open %s/%s: %s", kernel, initrd,
		       strerror(errno));
		return 1;
	}
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, 0UL) < 0) {
		result("kexec-load", 0, "%s", strerror(errno));
		return 1;
	}
	result("kexec-load", 1, "%s", kernel);
	printf("VMTEST-STAGE kexec\n");
	fflush(stdout);
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	result("kexec-reboot", 0, "%s", strerror(errno));
	return 1;
}

static int do_in(void)
{
	int luo = open("/dev/liveupdate", O_RDWR);

	if (luo < 0) {
		result("open-liveupdate", 0, "%s", strerror(errno));
		return 1;
	}
	for (int s = 0; s < nplan; s++) {
		struct liveupdate_ioctl_retrieve_session rs = { .size = sizeof(rs) };
		struct liveupdate_session_finish fin = { .size = sizeof(fin) };
		struct session_plan *sp = &plan[s];
		int ok = 1;

		memcpy(rs.name, sp->name, sizeof(rs.name));
		if (ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs) < 0) {
			result("retrieve-session", 0, "%s: %s", sp->name,
			       strerror(errno));
			continue;
		}
		for (int f = 0; f < sp->nfiles; f++) {
			struct file_plan *fp = &sp->files[f];
			struct liveupdate_session_retrieve_fd rf = {
				.size = sizeof(rf), .token = fp->token };
			uint64_t bad = 0;
			int err;

			if (ioctl(rs.fd, LIVEUPDATE_SESSION_RETRIEVE_FD, &rf) < 0) {
				result("retrieve-fd", 0, "%s/0x%" PRIx64 ": %s",
				       sp->name, fp->token, strerror(errno));
				ok = 0;
				continue;
			}
			err = verify_memfd(rf.fd, fp, &bad);
			result("memfd-bytes", err == 0,
			       "%s/0x%" PRIx64 " %" PRIu64 " bytes%s%s",
			       sp->name, fp->token, fp->size,
			       err ? ": " : "", err ? strerror(-err) : "");
			if (err == -EBADMSG)
				printf("VMTEST-DETAIL first bad byte at %" PRIu64 "\n",
				       bad);
			ok &= err == 0;
			close(rf.fd);
		}
		if (ioctl(rs.fd, LIVEUPDATE_SESSION_FINISH, &fin) < 0) {
			result("finish-session", 0, "%s: %s", sp->name,
			       strerror(errno));
			ok = 0;
		}
		result("session-restored", ok, "%s %d files", sp->name,
		       sp->nfiles);
		close(rs.fd);
	}
	return failures ? 1 : 0;
}

static int do_measure(const char *name, char **cmd)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	printf("VMTEST-RC %s %d\n", name,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	printf("VMTEST-RSS %s %ld\n", name, ru.ru_maxrss);
	fflush(stdout);
	return 0;
}

/* ---- /init: the guest without a shell ---- */

static int cpio_put(FILE *out, const char *name, unsigned int mode,
		    const void *data, size_t len)
{
	static unsigned int ino = 1;
	static const char zeros[4];
	size_t nlen = strlen(name) + 1;

	if (fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		    ino++, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, nlen,
		    0u) < 0 ||
	    fwrite(name, 1, nlen, out) != nlen ||
	    fwrite(zeros, 1, (4 - (110 + nlen) % 4) % 4, out) !=
		    (4 - (110 + nlen) % 4) % 4 ||
	    (len && fwrite(data, 1, len, out) != len) ||
	    fwrite(zeros, 1, (4 - len % 4) % 4, out) != (4 - len % 4) % 4)
		return -1;
	return 0;
}

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* Kernel 2's initramfs: a newc archive of this program and the plan. */
static int write_initrd(const char *path)
{
	size_t ilen = 0, plen = 0;
	void *init = slurp("/init", &ilen), *pl = slurp("/plan", &plen);
	FILE *out = fopen(path, "wb");
	int rc = -1;

	if (init && pl && out && !cpio_put(out, "init", 0100755, init, ilen) &&
	    !cpio_put(out, "plan", 0100644, pl, plen) &&
	    !cpio_put(out, "TRAILER!!!", 0, NULL, 0))
		rc = 0;
	if (out && fclose(out))
		rc = -1;
	free(init);
	free(pl);
	return rc;
}

static void power_off(void)
{
	printf("VMTEST-STAGE end\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static int as_init(void)
{
	char cmdline[1024] = "", kcmd[512];
	const char *console;
	ssize_t n;
	int fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* No /dev/console in the archive: open it once devtmpfs is there. */
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	if (read_plan("/plan"))
		power_off();
	if (strstr(cmdline, "vmtest.stage=2")) {
		printf("VMTEST-STAGE kernel2\n");
		fflush(stdout);
		printf("VMTEST-RC retrieve %d\n", do_in());
		power_off();
	}
	printf("VMTEST-STAGE kernel1\n");
	fflush(stdout);
	if (write_initrd("/initrd2.cpio")) {
		result("initrd2", 0, "%s", strerror(errno));
		power_off();
	}
	console = strstr(cmdline, "console=ttyAMA0") ? "ttyAMA0" : "ttyS0";
	snprintf(kcmd, sizeof(kcmd),
		 "console=%s kho=on liveupdate=1 nokaslr panic=-1 oops=panic vmtest.stage=2",
		 console);
	{
		char *args[] = { "/Image", "/initrd2.cpio", kcmd, NULL };

		do_out(args);
	}
	printf("VMTEST-RESULT kexec fail luo_guest returned\n");
	power_off();
	return 1;
}

int main(int argc, char **argv)
{
	if (getpid() == 1)
		return as_init();
	if (argc == 2 && !strcmp(argv[1], "dumpnow")) {
		int fd = open("/", O_RDONLY);

		return fd < 0 || syncfs(fd) ? 1 : 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "measure"))
		return do_measure(argv[2], argv + 3);
	if (argc == 7 && !strcmp(argv[1], "out")) {
		if (read_plan(argv[2]))
			return 1;
		return do_out(argv + 3);
	}
	if (argc == 3 && !strcmp(argv[1], "in")) {
		if (read_plan(argv[2]))
			return 1;
		return do_in();
	}
	fprintf(stderr,
		"usage: luo_guest out PLAN KERNEL INITRD CMDLINE HOOK\n"
		"       luo_guest in PLAN\n"
		"       luo_guest dumpnow\n"
		"       luo_guest measure NAME CMD [ARG...]\n");
	return 2;
}
